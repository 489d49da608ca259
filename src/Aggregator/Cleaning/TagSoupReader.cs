using System.Net;

namespace Aggregator.Cleaning;

/// <summary>
/// The fallback for markup too deeply nested to parse safely: a flat scan that keeps the text,
/// skips what would be dropped with its content, and starts a paragraph at every block tag.
/// </summary>
internal static class TagSoupReader
{
    public static CleanNode Read(string html)
    {
        var root = new CleanNode(CleanNode.RootTag);
        var paragraph = new CleanNode("p");
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var end = lt < 0 ? html.Length : lt;
            if (end > i)
            {
                TreeBuilder.AppendText(paragraph, html[i..end], inPre: false);
            }

            if (lt < 0)
            {
                break;
            }

            if (!OpensTag(html, lt))
            {
                TreeBuilder.AppendText(paragraph, "&lt;", inPre: false);
                i = lt + 1;
                continue;
            }

            i = SkipTag(html, lt, out var name, out var closing);
            if (name.Length == 0)
            {
                continue;
            }

            if (!closing && HtmlVocabulary.DroppedWithContent.Contains(name))
            {
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : SkipTag(html, close, out _, out _);
                continue;
            }

            if (name == "br" || HtmlVocabulary.BlockContainers.Contains(name) || (HtmlVocabulary.AllowedElements.Contains(name) && !HtmlVocabulary.InlineElements.Contains(name)))
            {
                root.Children.Add(paragraph);
                paragraph = new CleanNode("p");
            }
        }

        root.Children.Add(paragraph);
        foreach (var p in root.Children)
        {
            p.HasContent = p.Children.Exists(c => c.HasContent);
            TreeNormalizer.TrimEdges(p.Children, false);
        }

        root.Children.RemoveAll(p => !p.HasContent);
        root.HasContent = root.Children.Count > 0;
        return root;
    }

    /// <summary>Skips the tag at <paramref name="start"/>; a '&lt;' that opens no tag is kept as text.</summary>
    private static int SkipTag(string html, int start, out string name, out bool closing)
    {
        name = "";
        closing = false;
        if (html.AsSpan(start).StartsWith("<!--", StringComparison.Ordinal))
        {
            var endComment = html.IndexOf("-->", start + 4, StringComparison.Ordinal);
            return endComment < 0 ? html.Length : endComment + 3;
        }

        var i = start + 1;
        if (i < html.Length && html[i] == '/')
        {
            closing = true;
            i++;
        }

        var nameStart = i;
        while (i < html.Length && (char.IsAsciiLetterOrDigit(html[i]) || html[i] is ':' or '-'))
        {
            i++;
        }

        name = html[nameStart..i].ToLowerInvariant();
        var colon = name.LastIndexOf(':');
        if (colon >= 0)
        {
            name = name[(colon + 1)..];
        }

        var gt = html.IndexOf('>', i);
        return gt < 0 ? html.Length : gt + 1;
    }

    private static bool OpensTag(string html, int lt)
    {
        var next = lt + 1 < html.Length ? html[lt + 1] : '\0';
        if (next == '/')
        {
            next = lt + 2 < html.Length ? html[lt + 2] : '\0';
        }

        return char.IsAsciiLetter(next) || next is '!' or '?';
    }
}
