using System.Net;
using HtmlAgilityPack;

namespace Aggregator.Tests.Cleaning;

/// <summary>Re-parses cleaned HTML independently and lists everything that breaks the allow-lists.</summary>
internal static class AllowListAudit
{
    private static readonly HashSet<string> Elements =
    [
        "p", "br", "a", "strong", "em", "b", "i", "u", "s", "sub", "sup", "blockquote", "q", "cite", "code", "pre", "ul",
        "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "figure",
        "figcaption", "img", "abbr", "time", "hr",
    ];

    private static readonly HashSet<string> Attributes =
        ["href", "src", "alt", "title", "width", "height", "colspan", "rowspan", "datetime", "cite"];

    public static List<string> Violations(string html)
    {
        var violations = new List<string>();
        var document = new HtmlDocument { OptionMaxNestedChildNodes = 10_000 };
        document.LoadHtml(html);
        var stack = new Stack<HtmlNode>();
        stack.Push(document.DocumentNode);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            foreach (var child in node.ChildNodes)
            {
                stack.Push(child);
            }

            if (node.NodeType == HtmlNodeType.Comment)
            {
                violations.Add("comment: " + node.OuterHtml);
            }

            if (node.NodeType != HtmlNodeType.Element)
            {
                continue;
            }

            if (!Elements.Contains(node.Name))
            {
                violations.Add("element: " + node.Name);
            }

            foreach (var attribute in node.Attributes)
            {
                if (!Attributes.Contains(attribute.Name) || attribute.Name.StartsWith("on", StringComparison.Ordinal))
                {
                    violations.Add("attribute: " + attribute.Name);
                }
                else if (attribute.Name is "href" or "src" or "cite" && !IsSafeUrl(attribute.Value ?? ""))
                {
                    violations.Add("url: " + attribute.Value);
                }
            }
        }

        return violations;
    }

    private static bool IsSafeUrl(string raw)
    {
        var url = new string([.. WebUtility.HtmlDecode(raw).Where(c => c > ' ' && !char.IsControl(c))]).ToLowerInvariant();
        if (url.StartsWith("javascript:", StringComparison.Ordinal) || url.StartsWith("vbscript:", StringComparison.Ordinal)
            || url.StartsWith("data:", StringComparison.Ordinal))
        {
            return false;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon > 0 && (slash < 0 || colon < slash);
        return !hasScheme || url.StartsWith("http:", StringComparison.Ordinal) || url.StartsWith("https:", StringComparison.Ordinal)
            || url.StartsWith("mailto:", StringComparison.Ordinal);
    }
}
