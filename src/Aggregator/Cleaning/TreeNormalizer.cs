namespace Aggregator.Cleaning;

/// <summary>
/// Rebuilds the tree bottom-up into the shape an HTML5 parser keeps as is: no block inside a paragraph or a
/// link, list items only in lists, rows only in tables, inline runs wrapped in paragraphs, nothing empty.
/// Re-parsing the output then gives the same tree, which is what makes cleaning idempotent.
/// </summary>
internal static class TreeNormalizer
{
    private static readonly List<CleanNode> Nothing = [];

    public static void Normalize(CleanNode root)
    {
        var stack = new Stack<(CleanNode Node, bool ChildrenDone)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, childrenDone) = stack.Pop();
            if (node.IsText)
            {
                continue;
            }

            if (!childrenDone)
            {
                stack.Push((node, true));
                foreach (var child in node.Children)
                {
                    stack.Push((child, false));
                }

                continue;
            }

            node.Children = Splice(node.Children, node.Tag == "pre");
            node.HasContent = node.Tag == "img" || node.Children.Exists(c => c.HasContent);
            node.Replacement = Rewrite(node);
        }
    }

    public static bool IsBlock(CleanNode node) =>
        !node.IsText && !HtmlVocabulary.InlineElements.Contains(node.Tag);

    private static List<CleanNode>? Rewrite(CleanNode node)
    {
        switch (node.Tag)
        {
            case "img" or "br" or "hr":
                return null;
            case "ul" or "ol":
                return ListShaper.Shape(node, "li");
            case "dl":
                return ListShaper.Shape(node, "dd");
            case "table":
                return TableShaper.Shape(node);
            case "thead" or "tbody":
                return TableShaper.ShapeSection(node);
            case "tr":
                return TableShaper.ShapeRow(node);
            case CleanNode.RootTag or CleanNode.BlockTag or "blockquote" or "li" or "dd" or "td" or "th" or "figure":
                return FixFlow(node);
            default:
                break;
        }

        if (HtmlVocabulary.PhrasingBlocks.Contains(node.Tag))
        {
            if (node.Children.Exists(IsBlock))
            {
                node.Tag = CleanNode.BlockTag;
                return FixFlow(node);
            }

            TrimEdges(node.Children, node.Tag == "pre");
            return node.HasContent ? null : Nothing;
        }

        // Inline elements: a block inside, or nothing to show, and the element gives way to its children.
        return node.HasContent && !node.Children.Exists(IsBlock) ? null : node.Children;
    }

    /// <summary>Flow containers: wraps inline runs in paragraphs where blocks surround them.</summary>
    public static List<CleanNode>? FixFlow(CleanNode node)
    {
        var tag = node.Tag;
        var alwaysParagraphs = tag is CleanNode.RootTag or CleanNode.BlockTag or "blockquote";
        if (tag == "figure" || (!alwaysParagraphs && !node.Children.Exists(IsBlock)))
        {
            TrimEdges(node.Children, false);
            if (tag == "figure")
            {
                node.Children.RemoveAll(c => c.IsText && !c.HasContent);
            }

            return node.HasContent || tag is "td" or "th" ? null : Nothing;
        }

        var result = new List<CleanNode>(node.Children.Count);
        var run = new List<CleanNode>();
        var children = node.Children;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            if (IsBlock(child))
            {
                FlushRun(run, result);
                result.Add(child);
                continue;
            }

            if (child.Tag == "br" && NextIsBreak(children, i))
            {
                FlushRun(run, result);
                continue;
            }

            run.Add(child);
        }

        FlushRun(run, result);
        node.Children = result;
        node.HasContent = result.Exists(c => c.HasContent);
        if (tag == CleanNode.BlockTag)
        {
            return result;
        }

        return node.HasContent || tag is CleanNode.RootTag or "td" or "th" ? null : Nothing;
    }

    public static void TrimEdges(List<CleanNode> children, bool pre)
    {
        while (children.Count > 0 && IsBlank(children[0]))
        {
            children.RemoveAt(0);
        }

        while (children.Count > 0 && IsBlank(children[^1]))
        {
            children.RemoveAt(children.Count - 1);
        }

        if (children.Count == 0)
        {
            return;
        }

        if (children.Count == 1 && children[0].IsText && !pre)
        {
            // A paragraph of one run of text, the commonest block: one copy of it trimmed, not two.
            children[0].Text = children[0].Text.Trim();
        }
        else if (children[0].IsText)
        {
            children[0].Text = pre ? children[0].Text.TrimStart('\n', '\r') : children[0].Text.TrimStart();
        }

        if (children[^1].IsText)
        {
            children[^1].Text = pre ? children[^1].Text.TrimEnd() : children[^1].Text.TrimEnd();
        }

        if (children[0].IsText && children[0].Text.Length == 0)
        {
            children.RemoveAt(0);
        }
    }

    private static bool IsBlank(CleanNode node) => node.Tag == "br" || (node.IsText && string.IsNullOrWhiteSpace(node.Text));

    private static bool NextIsBreak(List<CleanNode> children, int index)
    {
        for (var i = index + 1; i < children.Count; i++)
        {
            var next = children[i];
            if (next.Tag == "br")
            {
                return true;
            }

            if (!(next.IsText && string.IsNullOrWhiteSpace(next.Text)))
            {
                return false;
            }
        }

        return false;
    }

    private static void FlushRun(List<CleanNode> run, List<CleanNode> result)
    {
        if (run.Count == 0)
        {
            return;
        }

        TrimEdges(run, false);
        if (run.Exists(c => c.HasContent))
        {
            result.Add(new CleanNode("p") { Children = [.. run], HasContent = true });
        }

        run.Clear();
    }

    /// <summary>Puts each child's replacement in its place and merges the text runs that meet.</summary>
    public static List<CleanNode> Splice(List<CleanNode> children, bool pre)
    {
        // Most lists have no replacement and no two texts side by side: then nothing would change.
        var needed = false;
        var previousText = false;
        foreach (var child in children)
        {
            var text = child.IsText;
            if (child.Replacement is not null || (text && (previousText || (!pre && !ReferenceEquals(TreeBuilder.CollapseSpaces(child.Text), child.Text)))))
            {
                needed = true;
                break;
            }

            previousText = text;
        }

        if (!needed)
        {
            return children;
        }

        var result = new List<CleanNode>(children.Count);
        var run = new List<string>();
        foreach (var child in children)
        {
            if (child.Replacement is null)
            {
                Append(result, run, child, pre);
                continue;
            }

            foreach (var replacement in child.Replacement)
            {
                Append(result, run, replacement, pre);
            }

            child.Replacement = null;
        }

        FlushText(result, run, pre);
        return result;
    }

    private static void Append(List<CleanNode> result, List<string> run, CleanNode node, bool pre)
    {
        if (node.IsText)
        {
            run.Add(node.Text);
            return;
        }

        FlushText(result, run, pre);
        result.Add(node);
    }

    /// <summary>Joins a run of adjacent text nodes in one go; a joined run may be repairable only as a whole.</summary>
    private static void FlushText(List<CleanNode> result, List<string> run, bool pre)
    {
        if (run.Count == 0)
        {
            return;
        }

        var text = run.Count == 1 ? run[0] : MojibakeRepair.Repair(string.Concat(run));
        result.Add(CleanNode.NewText(pre ? text : TreeBuilder.CollapseSpaces(text)));
        run.Clear();
    }
}
