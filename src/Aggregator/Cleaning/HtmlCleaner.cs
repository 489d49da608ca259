using System.Collections.Frozen;
using System.Xml.XPath;
using Aggregator.Configuration;
using HtmlAgilityPack;

namespace Aggregator.Cleaning;

/// <summary>A body after cleaning: safe HTML, and its plain text (paragraph breaks kept).</summary>
internal sealed record CleanedBody(string Html, string Text)
{
    public static readonly CleanedBody Empty = new("", "");
}

/// <summary>Limits that keep one hostile body from costing the process more than a bounded amount.</summary>
internal sealed record HtmlCleanerOptions
{
    /// <summary>Input beyond this many characters is cut before parsing.</summary>
    public int MaxInputChars { get; init; } = 512 * 1024;

    /// <summary>Deeper markup is read by the flat fallback instead of the parser (whose own walks recurse).</summary>
    public int MaxNesting { get; init; } = 256;
}

/// <summary>Turns whatever HTML a wire feed carries into safe, tidy HTML and plain text.</summary>
internal sealed class HtmlCleaner
{
    /// <summary>
    /// Raised whenever a change here changes what cleaning writes: stored items are then cleaned again on their
    /// next refresh (their <see cref="Storage.SourceDigest"/> includes it) and updated where the body changed.
    /// </summary>
    public const int OutputVersion = 1;

    private static readonly FrozenSet<HtmlNode> NothingRemoved = FrozenSet<HtmlNode>.Empty;

    private readonly HtmlCleanerOptions _options;

    public HtmlCleaner()
        : this(new HtmlCleanerOptions())
    {
    }

    public HtmlCleaner(HtmlCleanerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxInputChars, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxNesting, 16);
        _options = options;
    }

    public CleanedBody Clean(string? html, Uri? baseUri, CleanRules? rules = null)
    {
        if (CleanTree(html, baseUri, rules) is not { } root)
        {
            return CleanedBody.Empty;
        }

        // The writer is the last gate: it writes only what the allow-lists name, in case the cleaner has a hole.
        return new CleanedBody(HtmlWriter.Write(root), BlockText.Render(root));
    }

    /// <summary>The cleaned tree before it is written; null when nothing is left.</summary>
    internal CleanNode? CleanTree(string? html, Uri? baseUri, CleanRules? rules = null)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var root = Read(Cap(html), baseUri, rules);
        TreeNormalizer.Normalize(root);
        BoilerplateRemover.Remove(root);
        FinishText(root);
        return root.Children.Count == 0 ? null : root;
    }

    /// <summary>Titles are plain text everywhere: entities decoded, markup removed, whitespace folded.</summary>
    public static string PlainText(string? htmlOrText)
    {
        if (string.IsNullOrWhiteSpace(htmlOrText))
        {
            return "";
        }

        var input = htmlOrText.Length > 64 * 1024 ? htmlOrText[..(64 * 1024)] : htmlOrText;

        // Most titles hold no markup: HtmlAgilityPack would make them one text node, so make it without parsing.
        CleanNode root;
        if (input.Contains('<'))
        {
            root = new HtmlCleaner().Read(input, null, null);
        }
        else
        {
            root = new CleanNode(CleanNode.RootTag);
            TreeBuilder.AppendText(root, input, inPre: false);
        }

        return BlockText.Line(root);
    }

    /// <summary>The first ~maxLength characters of text, ending at a sentence or word boundary.</summary>
    public static string Summarize(string text, int maxLength = 300) => Summary.Of(text, maxLength);

    /// <summary>
    /// A last pass over the text runs. A run joined from pieces may be repairable only as a whole, and text
    /// from a &lt;pre&gt; that had to be dissolved loses its whitespace; cleaning the output again would
    /// otherwise do either then.
    /// </summary>
    private static void FinishText(CleanNode root)
    {
        var stack = new Stack<(CleanNode Node, bool InPre)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, inPre) = stack.Pop();
            if (node.IsText)
            {
                var text = MojibakeRepair.Repair(node.Text);
                node.Text = inPre ? text : TreeBuilder.CollapseSpaces(text);
                continue;
            }

            foreach (var child in node.Children)
            {
                stack.Push((child, inPre || node.Tag == "pre"));
            }
        }
    }

    private string Cap(string html)
    {
        if (html.Length <= _options.MaxInputChars)
        {
            return html;
        }

        var length = _options.MaxInputChars;
        if (char.IsHighSurrogate(html[length - 1]))
        {
            length--;
        }

        return html[..length];
    }

    private CleanNode Read(string html, Uri? baseUri, CleanRules? rules)
    {
        var document = new HtmlDocument { OptionMaxNestedChildNodes = _options.MaxNesting };
        try
        {
            document.LoadHtml(html);
        }
        catch (Exception ex) when (ex.Message.Contains("nested tags", StringComparison.Ordinal))
        {
            // HtmlAgilityPack refuses markup nested deeper than the limit; reading it flat is the expected outcome.
            return TagSoupReader.Read(html);
        }

        var roots = Select(document, rules?.Content) ?? [document.DocumentNode];
        if (rules?.Remove is not { Count: > 0 } xpaths)
        {
            return TreeBuilder.Build(roots, baseUri, NothingRemoved);
        }

        var removed = new HashSet<HtmlNode>();
        foreach (var xpath in xpaths)
        {
            foreach (var node in Select(document, xpath) ?? [])
            {
                removed.Add(node);
            }
        }

        return TreeBuilder.Build(roots, baseUri, removed);
    }

    /// <summary>Nodes an XPath rule selects; null when the rule is absent, invalid or matches nothing.</summary>
    private static List<HtmlNode>? Select(HtmlDocument document, string? xpath)
    {
        if (string.IsNullOrWhiteSpace(xpath))
        {
            return null;
        }

        try
        {
            var nodes = document.DocumentNode.SelectNodes(xpath);
            return nodes is { Count: > 0 } ? [.. nodes] : null;
        }
        catch (XPathException)
        {
            return null;
        }
    }
}
