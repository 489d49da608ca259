using System.Net;
using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>The output formats, with their file names and media types.</summary>
internal enum ExportFormat
{
    Atom,
    Rss,
    Json,
}

/// <summary>An outlet as it appears in entries: atom:source, RSS source, JSON Feed _source.</summary>
internal sealed record Outlet(string Id, string Name, Uri FeedUrl, Uri? SiteLink);

/// <summary>
/// One entry of the combined feed: a story, told by its canonical item, with the other outlets' copies as related
/// links. Its id is the story's, so it stays the same when another outlet joins later.
/// </summary>
internal sealed record StoryEntry(string Id, StoredItem Item, IReadOnlyList<StoredItem> Related, DateTime Published, DateTime Updated);

/// <summary>Everything a renderer needs, gathered from the store and the configuration once per render.</summary>
internal sealed record FeedDocument(OutputSettings Output, IReadOnlyList<StoryEntry> Entries, IReadOnlyDictionary<string, Outlet> Outlets, DateTime Updated)
{
    /// <summary>The variant rendered: filters, page size and archive page.</summary>
    public FeedQuery Query { get; init; } = FeedQuery.All;

    /// <summary>Where the next older page starts, when older stories match.</summary>
    public PageAnchor? Older { get; init; }

    /// <summary>Where the next newer page starts, for an archive page with newer stories.</summary>
    public PageAnchor? Newer { get; init; }

    /// <summary>The category as the outlets spell it, for the title of a category feed.</summary>
    public string? CategoryName { get; init; }

    public string Title => Query.Category is null ? Output.Title : $"{Output.Title} : {CategoryName ?? Query.Category}";

    /// <summary>An archive page (RFC 5005): a before or after page, whose stories do not change as news arrives.</summary>
    public bool IsArchive => Query.Page is not null;

    public Uri SelfLink(ExportFormat format) => new(Output.Link, Query.RelativeUrl(format));

    /// <summary>The subscription document of this variant: the same filters, newest stories, no page.</summary>
    public Uri CurrentLink(ExportFormat format) => new(Output.Link, (Query with { Page = null }).RelativeUrl(format));

    public Uri? OlderLink(ExportFormat format) => Older is null ? null : new(Output.Link, (Query with { Page = Older }).RelativeUrl(format));

    public Uri? NewerLink(ExportFormat format) => Newer is null ? null : new(Output.Link, (Query with { Page = Newer }).RelativeUrl(format));

    public Outlet OutletOf(StoredItem item) =>
        Outlets.TryGetValue(item.FeedId, out var outlet) ? outlet : new Outlet(item.FeedId, item.FeedId, Output.Link, null);

    /// <summary>
    /// The canonical item's body, closed by a short « Aussi publié par » line linking the other outlets' copies.
    /// </summary>
    public string BodyHtml(StoryEntry entry)
    {
        if (entry.Related.Count == 0)
        {
            return entry.Item.BodyHtml;
        }

        var links = entry.Related.Select(r =>
        {
            var name = WebUtility.HtmlEncode(OutletOf(r).Name);
            return r.Link is null ? name : $"<a href=\"{WebUtility.HtmlEncode(r.Link)}\">{name}</a>";
        });
        return $"{entry.Item.BodyHtml}<p>Aussi publié par\u00A0: {string.Join(", ", links)}</p>";
    }

    /// <summary>A stable entry id: a name-based (version 5 layout) urn:uuid derived from a stored id.</summary>
    public static string EntryId(StoredItem item) => EntryId(item.Id);

    /// <summary>A stable entry id: a name-based (version 5 layout) urn:uuid derived from a stored id.</summary>
    public static string EntryId(string id)
    {
        var hex = id.PadRight(32, '0');
        var variant = "89ab"[Convert.ToInt32(hex[16..17], 16) & 3];
        return $"urn:uuid:{hex[..8]}-{hex[8..12]}-5{hex[13..16]}-{variant}{hex[17..20]}-{hex[20..32]}";
    }
}

/// <summary>File names and media types of each format.</summary>
internal static class FeedFormats
{
    public static string FileName(ExportFormat format) => format switch
    {
        ExportFormat.Atom => "feed.atom",
        ExportFormat.Rss => "feed.rss",
        _ => "feed.json",
    };

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Atom => "application/atom+xml; charset=utf-8",
        ExportFormat.Rss => "application/rss+xml; charset=utf-8",
        _ => "application/feed+json; charset=utf-8",
    };

    public static bool TryParse(string? text, out ExportFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "atom":
                format = ExportFormat.Atom;
                return true;
            case "rss":
                format = ExportFormat.Rss;
                return true;
            case "json":
                format = ExportFormat.Json;
                return true;
            default:
                format = default;
                return false;
        }
    }
}
