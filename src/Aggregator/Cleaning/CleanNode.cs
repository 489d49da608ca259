namespace Aggregator.Cleaning;

/// <summary>One node of the cleaner's own tree: an allowed element, a text run, or a marker while building.</summary>
internal sealed class CleanNode
{
    public const string TextTag = "#text";
    public const string BlockTag = "#block";
    public const string RootTag = "#root";

    public CleanNode(string tag) => Tag = tag;

    public string Tag { get; set; }

    /// <summary>Decoded text of a text node (never entity-encoded).</summary>
    public string Text { get; set; } = "";

    public List<CleanNode> Children { get; set; } = [];

    public List<KeyValuePair<string, string>>? Attributes { get; set; }

    /// <summary>What replaces this node in its parent once normalised; null keeps the node itself.</summary>
    public List<CleanNode>? Replacement { get; set; }

    /// <summary>Content that HTML would hoist out of a table (foster parenting), carried up to the table.</summary>
    public List<CleanNode>? Foster { get; set; }

    /// <summary>True when the subtree holds visible text or an image.</summary>
    public bool HasContent { get; set; }

    public bool IsText => ReferenceEquals(Tag, TextTag);

    public static CleanNode NewText(string text) => new(TextTag) { Text = text, HasContent = !string.IsNullOrWhiteSpace(text) };

    public string? GetAttribute(string name)
    {
        if (Attributes is null)
        {
            return null;
        }

        foreach (var pair in Attributes)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }
}
