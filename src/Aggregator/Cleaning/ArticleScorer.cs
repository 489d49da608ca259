using System.Collections.Frozen;
using System.Net;
using HtmlAgilityPack;

namespace Aggregator.Cleaning;

/// <summary>
/// Guesses which container holds an article when the page does not say: paragraphs of prose vote for the
/// blocks around them (readability's idea), link-heavy blocks lose, and well-scored neighbours join the winner.
/// </summary>
internal static class ArticleScorer
{
    private const int MinParagraphChars = 25;
    private const int ContentNameBonus = 25;

    /// <summary>Blocks that may hold prose directly, without &lt;p&gt; (table layouts, text broken by &lt;br&gt;).</summary>
    private static readonly FrozenSet<string> TextContainers = FrozenSet.Create(StringComparer.Ordinal,
        "div", "td", "section", "article", "main", "blockquote", "center", "dd", "body");

    private static readonly string[] ContentParts =
        ["article", "body", "content", "main", "story", "entry", "text", "chapo", "corps", "detail"];

    /// <summary>The winning container and the neighbours that belong with it, in page order; null without prose.</summary>
    public static List<HtmlNode>? Choose(TextStats stats)
    {
        var scores = new Dictionary<HtmlNode, double>();
        foreach (var element in stats.Elements)
        {
            var text = stats.Of(element);
            var holder = Holder(element, text);
            if (holder is null)
            {
                continue;
            }

            // Long paragraphs and commas mark prose; the vote fades with distance, so the nearest block wins.
            var points = 1 + text.Commas + Math.Min(text.Inline / 100.0, 3);
            double[] shares = [1, 2, 6];
            var node = holder;
            for (var level = 0; level < shares.Length && node is not null; level++, node = node.ParentNode)
            {
                scores[node] = scores.GetValueOrDefault(node, Initial(node)) + (points / shares[level]);
            }
        }

        HtmlNode? top = null;
        var topScore = double.MinValue;
        foreach (var (node, score) in scores)
        {
            var final = score * (1 - stats.Of(node).LinkDensity);
            if (final > topScore)
            {
                (top, topScore) = (node, final);
            }
        }

        return top is null ? null : WithSiblings(top, topScore, scores, stats);
    }

    private static HtmlNode? Holder(HtmlNode element, NodeText text)
    {
        if (text.Inline < MinParagraphChars || text.InlineLink * 2 > text.Inline)
        {
            return null;
        }

        if (element.Name is "p" or "pre")
        {
            return element.ParentNode;
        }

        return TextContainers.Contains(element.Name) ? element : null;
    }

    private static double Initial(HtmlNode node)
    {
        var score = node.Name switch
        {
            "div" => 5,
            "td" or "pre" or "blockquote" => 3,
            "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => -3,
            "h2" or "h3" or "h4" or "h5" or "h6" or "th" => -5,
            _ => 0,
        };
        if (node.NodeType != HtmlNodeType.Element)
        {
            return score;
        }

        var names = (node.GetAttributeValue("class", "") + " " + node.Id).ToLowerInvariant();
        return ContentParts.Any(part => names.Contains(part, StringComparison.Ordinal)) ? score + ContentNameBonus : score;
    }

    private static List<HtmlNode> WithSiblings(HtmlNode top, double topScore, Dictionary<HtmlNode, double> scores, TextStats stats)
    {
        if (top.ParentNode is null)
        {
            return [top];
        }

        var threshold = Math.Max(10, topScore * 0.2);
        var parts = new List<HtmlNode>();
        foreach (var sibling in top.ParentNode.ChildNodes)
        {
            if (sibling == top || (sibling.NodeType == HtmlNodeType.Element && Belongs(sibling, threshold, scores, stats)))
            {
                parts.Add(sibling);
            }
        }

        return parts;
    }

    private static bool Belongs(HtmlNode sibling, double threshold, Dictionary<HtmlNode, double> scores, TextStats stats)
    {
        var text = stats.Of(sibling);
        if (scores.TryGetValue(sibling, out var score) && score * (1 - text.LinkDensity) >= threshold)
        {
            return true;
        }

        // A lead photo beside the text is part of the article; a lead paragraph in its own block is too.
        if (sibling.Name == "figure")
        {
            return true;
        }

        var holdsProse = sibling.Name == "p" || (TextContainers.Contains(sibling.Name) && text.Inline * 5 >= text.Total * 4);
        if (!holdsProse || text.Total == 0)
        {
            return false;
        }

        if (text.Total > 80)
        {
            return text.LinkDensity < 0.25;
        }

        var plain = WebUtility.HtmlDecode(sibling.InnerText).Trim();
        return text.Link == 0 && (plain.EndsWith('.') || plain.Contains(". ", StringComparison.Ordinal));
    }
}

/// <summary>How much text, link text and direct prose each element of a page holds, measured in one walk.</summary>
internal sealed class TextStats
{
    private static readonly FrozenSet<string> InlineElements = FrozenSet.Create(StringComparer.Ordinal,
        "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img",
        "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
        "time", "tt", "u", "var", "wbr");

    private readonly Dictionary<HtmlNode, NodeText> _byNode = [];

    private TextStats()
    {
    }

    /// <summary>Every element, in page order.</summary>
    public List<HtmlNode> Elements { get; } = [];

    public NodeText Of(HtmlNode node) => _byNode.TryGetValue(node, out var text) ? text : NodeText.None;

    public static TextStats Measure(HtmlNode root)
    {
        var stats = new TextStats();
        var order = new List<HtmlNode>();
        var stack = new Stack<HtmlNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            order.Add(node);
            for (var i = node.ChildNodes.Count - 1; i >= 0; i--)
            {
                stack.Push(node.ChildNodes[i]);
            }
        }

        // Backwards through page order, every child is complete before its parent adds it up.
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            var parent = node.ParentNode is null ? null : stats.Get(node.ParentNode);
            if (node.NodeType == HtmlNodeType.Text && parent is not null)
            {
                var (length, commas) = Count(((HtmlTextNode)node).Text);
                parent.Total += length;
                parent.Inline += length;
                parent.Commas += commas;
            }
            else if (node.NodeType == HtmlNodeType.Element && parent is not null)
            {
                var own = stats.Get(node);
                var isLink = node.Name == "a";
                parent.Total += own.Total;
                parent.Link += isLink ? own.Total : own.Link;
                if (InlineElements.Contains(node.Name))
                {
                    parent.Inline += own.Inline;
                    parent.InlineLink += isLink ? own.Inline : own.InlineLink;
                    parent.Commas += own.Commas;
                }
            }
        }

        stats.Elements.AddRange(order.Where(n => n.NodeType == HtmlNodeType.Element));
        return stats;
    }

    private NodeText Get(HtmlNode node)
    {
        if (!_byNode.TryGetValue(node, out var text))
        {
            text = new NodeText();
            _byNode[node] = text;
        }

        return text;
    }

    /// <summary>Characters as a reader sees them (entities decoded, runs of spaces as one), and commas.</summary>
    private static (int Length, int Commas) Count(string raw)
    {
        var text = raw.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(raw) : raw;
        var length = 0;
        var commas = 0;
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }

            length += pendingSpace ? 2 : 1;
            pendingSpace = false;
            commas += c == ',' ? 1 : 0;
        }

        return (length, commas);
    }
}

/// <summary>One element's text measures; Inline and Commas count only prose not inside a child block.</summary>
internal sealed class NodeText
{
    public static readonly NodeText None = new();

    public int Total { get; set; }

    public int Link { get; set; }

    public int Inline { get; set; }

    public int InlineLink { get; set; }

    public int Commas { get; set; }

    public int Readable => Total - Link;

    public double LinkDensity => Total == 0 ? 0 : Math.Min(1, (double)Link / Total);
}
