using System.Globalization;
using System.Text;
using Aggregator.Cleaning;
using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>How many enabled sources answered at their last fetch, failed, or were not fetched yet.</summary>
internal sealed record SourceHealth(int UpToDate, int Failing, int Waiting)
{
    public static SourceHealth Of(AggregatorConfig config, IReadOnlyList<FeedState> states)
    {
        var byId = states.ToDictionary(s => s.Id, StringComparer.Ordinal);
        int upToDate = 0, failing = 0, waiting = 0;
        foreach (var feed in config.EnabledFeeds)
        {
            var state = byId.GetValueOrDefault(feed.Id);
            if (state?.ConsecutiveFailures > 0)
            {
                failing++;
            }
            else if (state?.LastSuccess is not null)
            {
                upToDate++;
            }
            else
            {
                waiting++;
            }
        }

        return new SourceHealth(upToDate, failing, waiting);
    }

    /// <summary>« 14 sources à jour, 2 en échec »: the parts that are zero are left out, except the first.</summary>
    public string Text()
    {
        var parts = new List<string> { UpToDate == 1 ? "1 source à jour" : $"{UpToDate} sources à jour" };
        if (Failing > 0)
        {
            parts.Add($"{Failing} en échec");
        }

        if (Waiting > 0)
        {
            parts.Add($"{Waiting} pas encore lue{(Waiting == 1 ? "" : "s")}");
        }

        return string.Join(", ", parts);
    }
}

/// <summary>
/// The home page: the latest stories as a person reads them, from the same document the feeds are rendered from.
/// No script and one small inline style sheet, so it is one request and reads on a phone.
/// </summary>
internal static class HtmlPage
{
    public const string ContentType = "text/html; charset=utf-8";

    private const int SummaryLength = 280;

    public static string Render(FeedDocument document, AggregatorConfig config, SourceHealth health)
    {
        var zone = ZoneOf(document.Output);
        var categories = config.EnabledFeeds.Where(f => f.Category is not null).ToDictionary(f => f.Id, f => f.Category!, StringComparer.Ordinal);
        var allCategories = categories.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var html = new StringBuilder(4096 + (document.Entries.Count * 1024));
        var title = Encode(document.Output.Title);
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="{Encode(document.Output.Language)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title>
            <link rel="alternate" type="application/atom+xml" title="{title} (Atom)" href="/feed.atom">
            <link rel="alternate" type="application/rss+xml" title="{title} (RSS)" href="/feed.rss">
            <link rel="alternate" type="application/feed+json" title="{title} (JSON Feed)" href="/feed.json">
            <style>{HtmlPageStyle.Css}</style>
            </head>
            <body>
            <header>
            <h1>{title}</h1>
            <p class="health{(health.Failing > 0 ? " failing" : "")}">{Encode(health.Text())}</p>
            <nav aria-label="Flux"><span>Flux :</span> {FeedLinks("/feed")}</nav>

            """);
        if (allCategories.Count > 0)
        {
            html.Append("<nav aria-label=\"Rubriques\" class=\"categories\"><span>Rubriques :</span>");
            foreach (var category in allCategories)
            {
                html.Append(CultureInfo.InvariantCulture, $" <a href=\"{CategoryPath(category)}.atom\">{Encode(category)}</a>");
            }

            html.Append("</nav>\n");
        }

        html.Append("</header>\n<main>\n");
        if (document.Entries.Count == 0)
        {
            html.Append("<p class=\"empty\">Aucune dépêche pour l’instant.</p>\n");
        }

        foreach (var entry in document.Entries)
        {
            AppendEntry(html, document, entry, categories.GetValueOrDefault(entry.Item.FeedId), zone);
        }

        html.Append("</main>\n<footer>\n");
        if (allCategories.Count > 0)
        {
            html.Append("<h2>Flux par rubrique</h2>\n<ul>\n");
            foreach (var category in allCategories)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(category)} : {FeedLinks(CategoryPath(category))}</li>\n");
            }

            html.Append("</ul>\n");
        }

        if (document.Entries.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Dernière mise à jour : {FrenchTime(document.Updated, zone)}.</p>\n");
        }

        html.Append("</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendEntry(StringBuilder html, FeedDocument document, StoryEntry entry, string? category, TimeZoneInfo zone)
    {
        var item = entry.Item;
        var headline = Encode(item.Title);
        html.Append("<article>\n<h2>")
            .Append(SafeLink(item.Link) is { } link ? $"<a href=\"{Encode(link)}\">{headline}</a>" : headline)
            .Append("</h2>\n<p class=\"meta\"><span class=\"outlet\">")
            .Append(Encode(document.OutletOf(item).Name))
            .Append(CultureInfo.InvariantCulture, $"</span> · <time datetime=\"{XmlText.Rfc3339(entry.Published)}\">{FrenchTime(entry.Published, zone)}</time>");
        if (category is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $" · <a class=\"category\" href=\"{CategoryPath(category)}.atom\">{Encode(category)}</a>");
        }

        html.Append("</p>\n");
        var summary = HtmlCleaner.Summarize(item.BodyText, SummaryLength);
        if (summary.Length > 0)
        {
            html.Append("<p class=\"summary\">").Append(Encode(summary)).Append("</p>\n");
        }

        if (entry.Related.Count > 0)
        {
            var outlets = entry.Related.Select(r =>
            {
                var name = Encode(document.OutletOf(r).Name);
                return SafeLink(r.Link) is { } href ? $"<a href=\"{Encode(href)}\">{name}</a>" : name;
            });
            html.Append("<p class=\"also\">Aussi publié par\u00A0: ").AppendJoin(", ", outlets).Append("</p>\n");
        }

        html.Append("</article>\n");
    }

    private static string FeedLinks(string path) =>
        $"<a href=\"{path}.atom\">Atom</a> · <a href=\"{path}.rss\">RSS</a> · <a href=\"{path}.json\">JSON</a>";

    private static string CategoryPath(string category) => "/c/" + Encode(Uri.EscapeDataString(category));

    /// <summary>Only web links: a stored link is the outlet's, and a javascript: one must not become clickable.</summary>
    private static string? SafeLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? link : null;

    private static TimeZoneInfo ZoneOf(OutputSettings output) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(output.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    private static readonly string[] Months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

    /// <summary>« 26 nov. 2026 à 14:05 », in the page's zone; written out here so it does not depend on ICU data.</summary>
    public static string FrenchTime(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Day} {Months[local.Month - 1]} {local.Year} à {local:HH:mm}");
    }

    /// <summary>Text as HTML: the five characters that mean markup, and no control characters.</summary>
    public static string Encode(string? text)
    {
        var legal = XmlText.Legal(text);
        if (legal.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return legal;
        }

        var builder = new StringBuilder(legal.Length + 16);
        foreach (var c in legal)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
