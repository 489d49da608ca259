namespace Aggregator.Cleaning;

/// <summary>Keeps lists made of items: stray content inside a ul, ol or dl is gathered into an item of its own.</summary>
internal static class ListShaper
{
    public static List<CleanNode>? Shape(CleanNode list, string itemTag)
    {
        var result = new List<CleanNode>(list.Children.Count);
        CleanNode? loose = null;
        foreach (var child in list.Children)
        {
            if (child.Tag is "li" or "dt" or "dd" && (itemTag == "li") == (child.Tag == "li"))
            {
                CloseLoose(ref loose, result);
                result.Add(child);
                continue;
            }

            if (child.IsText && !child.HasContent)
            {
                continue;
            }

            (loose ??= new CleanNode(itemTag)).Children.Add(child);
        }

        CloseLoose(ref loose, result);
        list.Children = result;
        list.HasContent = result.Exists(c => c.HasContent);
        return list.HasContent ? null : [];
    }

    private static void CloseLoose(ref CleanNode? loose, List<CleanNode> result)
    {
        if (loose is null)
        {
            return;
        }

        loose.Children = TreeNormalizer.Splice(loose.Children, false);
        loose.HasContent = loose.Children.Exists(c => c.HasContent);
        var replacement = TreeNormalizer.FixFlow(loose);
        if (replacement is null)
        {
            result.Add(loose);
        }

        loose = null;
    }
}
