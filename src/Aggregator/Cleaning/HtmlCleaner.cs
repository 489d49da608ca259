using Aggregator.Configuration;

namespace Aggregator.Cleaning;

/// <summary>A body after cleaning: safe HTML, and its plain text (paragraph breaks kept).</summary>
internal sealed record CleanedBody(string Html, string Text);

/// <summary>Turns whatever HTML a wire feed carries into safe, tidy HTML and plain text.</summary>
internal sealed class HtmlCleaner
{
    public CleanedBody Clean(string? html, Uri? baseUri, CleanRules? rules = null) => throw new NotImplementedException();

    /// <summary>Titles are plain text everywhere: entities decoded, markup removed, whitespace folded.</summary>
    public static string PlainText(string? htmlOrText) => throw new NotImplementedException();

    /// <summary>The first ~maxLength characters of text, ending at a sentence or word boundary.</summary>
    public static string Summarize(string text, int maxLength = 300) => throw new NotImplementedException();
}
