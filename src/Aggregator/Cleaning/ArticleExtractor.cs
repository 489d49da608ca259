using System.Xml.XPath;
using Aggregator.Configuration;
using HtmlAgilityPack;

namespace Aggregator.Cleaning;

/// <summary>Finds an article's main content in its whole web page, for feeds that carry only a summary.</summary>
internal static class ArticleExtractor
{
    /// <summary>Pages beyond this many characters are cut before parsing.</summary>
    public const int MaxInputChars = 2 * 1024 * 1024;

    /// <summary>Deeper markup is refused: the parser's own walks (OuterHtml, InnerText) recurse.</summary>
    public const int MaxNesting = 256;

    // Less readable text than this is a teaser, a link list or an error page: the feed's summary is better.
    private const int MinArticleChars = 200;
    private const double MaxLinkDensity = 0.5;

    private const string ArticleBodyXPath = "//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' articleBody ')]";

    /// <summary>
    /// The HTML of the page's main content, not yet cleaned (pass it to <see cref="HtmlCleaner.Clean"/> with the
    /// page URL as base), or null when the page holds nothing article-like.
    /// </summary>
    public static string? Extract(string pageHtml, CleanRules? rules)
    {
        if (string.IsNullOrWhiteSpace(pageHtml))
        {
            return null;
        }

        var document = Load(Cap(pageHtml));
        if (document is null)
        {
            return null;
        }

        PageFurniture.Detach((rules?.Remove ?? []).SelectMany(xpath => Select(document.DocumentNode, xpath) ?? []));

        // The admin's rule wins over any guess, even when what it selects looks short.
        var selected = Select(document.DocumentNode, rules?.Content);
        if (selected is not null)
        {
            return string.Join("\n", selected.Select(n => n.OuterHtml));
        }

        PageFurniture.Strip(document.DocumentNode);
        var stats = TextStats.Measure(document.DocumentNode);
        var parts = Marked(document.DocumentNode, stats) ?? ArticleScorer.Choose(stats);
        return parts is not null && IsArticle(parts, stats) ? string.Join("\n", parts.Select(n => n.OuterHtml)) : null;
    }

    private static HtmlDocument? Load(string html)
    {
        var document = new HtmlDocument { OptionMaxNestedChildNodes = MaxNesting };
        try
        {
            document.LoadHtml(html);
            return document;
        }
        catch (Exception ex) when (ex.Message.Contains("nested tags", StringComparison.Ordinal))
        {
            // A page this deep is broken or hostile; the feed's own summary is the better body.
            return null;
        }
    }

    /// <summary>What the page itself marks as the article: schema.org's articleBody, else the largest &lt;article&gt;.</summary>
    private static List<HtmlNode>? Marked(HtmlNode root, TextStats stats)
    {
        foreach (var xpath in new[] { ArticleBodyXPath, "//article" })
        {
            var best = Select(root, xpath)?.MaxBy(n => stats.Of(n).Readable);
            if (best is not null && IsArticle([best], stats))
            {
                return [best];
            }
        }

        return null;
    }

    private static bool IsArticle(List<HtmlNode> parts, TextStats stats)
    {
        var total = parts.Sum(n => stats.Of(n).Total);
        var links = parts.Sum(n => stats.Of(n).Link);
        return total - links >= MinArticleChars && links <= total * MaxLinkDensity;
    }

    private static string Cap(string html)
    {
        if (html.Length <= MaxInputChars)
        {
            return html;
        }

        var length = MaxInputChars;
        if (char.IsHighSurrogate(html[length - 1]))
        {
            length--;
        }

        return html[..length];
    }

    /// <summary>Nodes an XPath selects; null when the XPath is absent, invalid or matches nothing.</summary>
    private static List<HtmlNode>? Select(HtmlNode root, string? xpath)
    {
        if (string.IsNullOrWhiteSpace(xpath))
        {
            return null;
        }

        try
        {
            var nodes = root.SelectNodes(xpath);
            return nodes is { Count: > 0 } ? [.. nodes] : null;
        }
        catch (XPathException)
        {
            return null;
        }
    }
}
