namespace Aggregator.Cleaning;

/// <summary>
/// Gives tables the shape an HTML5 parser would (rows in a tbody, cells in rows, stray content hoisted
/// before the table), and unwraps the layout tables CMSs put around a photo and its caption.
/// </summary>
internal static class TableShaper
{
    public static List<CleanNode>? ShapeRow(CleanNode row)
    {
        var cells = new List<CleanNode>();
        foreach (var child in row.Children)
        {
            if (child.Tag is "td" or "th")
            {
                cells.Add(child);
            }
            else
            {
                Hoist(row, child);
            }
        }

        row.Children = cells;
        return cells.Count > 0 ? null : TakeFoster(row);
    }

    public static List<CleanNode>? ShapeSection(CleanNode section)
    {
        section.Children = CollectRows(section, section.Children);
        return section.Children.Count > 0 ? null : TakeFoster(section);
    }

    public static List<CleanNode>? Shape(CleanNode table)
    {
        var sections = new List<CleanNode>();
        var loose = new List<CleanNode>();
        foreach (var child in table.Children)
        {
            if (child.Tag is "thead" or "tbody")
            {
                FlushLooseRows(table, loose, sections);
                MoveFoster(child, table);
                sections.Add(child);
            }
            else
            {
                loose.Add(child);
            }
        }

        FlushLooseRows(table, loose, sections);
        table.Children = sections;
        var foster = TakeFoster(table);
        var rows = sections.SelectMany(s => s.Children).ToList();
        var hasContent = rows.Exists(r => r.Children.Exists(c => c.HasContent));
        if (!hasContent)
        {
            return foster;
        }

        if (rows.TrueForAll(r => r.Children.Count == 1))
        {
            // One column: a layout table (photo, then caption), not data. Its cells become plain blocks.
            foreach (var row in rows)
            {
                var cell = new CleanNode(CleanNode.BlockTag) { Children = row.Children[0].Children };
                cell.HasContent = cell.Children.Exists(c => c.HasContent);
                foster.AddRange(TreeNormalizer.FixFlow(cell) ?? []);
            }

            return foster;
        }

        table.HasContent = true;
        foster.Add(table);
        return foster;
    }

    private static void FlushLooseRows(CleanNode table, List<CleanNode> loose, List<CleanNode> sections)
    {
        if (loose.Count == 0)
        {
            return;
        }

        var rows = CollectRows(table, loose);
        loose.Clear();
        if (rows.Count > 0)
        {
            sections.Add(new CleanNode("tbody") { Children = rows, HasContent = rows.Exists(r => r.HasContent) });
        }
    }

    private static List<CleanNode> CollectRows(CleanNode owner, List<CleanNode> children)
    {
        var rows = new List<CleanNode>();
        CleanNode? open = null;
        foreach (var child in children)
        {
            if (child.Tag == "tr")
            {
                open = null;
                MoveFoster(child, owner);
                rows.Add(child);
            }
            else if (child.Tag is "td" or "th")
            {
                if (open is null)
                {
                    open = new CleanNode("tr");
                    rows.Add(open);
                }

                open.Children.Add(child);
                open.HasContent |= child.HasContent;
            }
            else
            {
                Hoist(owner, child);
            }
        }

        return rows;
    }

    private static void Hoist(CleanNode owner, CleanNode child)
    {
        if (child.IsText && !child.HasContent)
        {
            return;
        }

        (owner.Foster ??= []).Add(child);
    }

    private static void MoveFoster(CleanNode from, CleanNode to)
    {
        if (from.Foster is null)
        {
            return;
        }

        (to.Foster ??= []).AddRange(from.Foster);
        from.Foster = null;
    }

    private static List<CleanNode> TakeFoster(CleanNode node)
    {
        var foster = node.Foster ?? [];
        node.Foster = null;
        return foster;
    }
}
