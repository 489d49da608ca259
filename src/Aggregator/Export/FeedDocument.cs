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

/// <summary>Everything a renderer needs, gathered from the store and the configuration once per render.</summary>
internal sealed record FeedDocument(OutputSettings Output, IReadOnlyList<StoredItem> Items, IReadOnlyDictionary<string, Outlet> Outlets, DateTime Updated)
{
    public Uri SelfLink(ExportFormat format) => new(Output.Link, FeedFormats.FileName(format));

    public Outlet OutletOf(StoredItem item) =>
        Outlets.TryGetValue(item.FeedId, out var outlet) ? outlet : new Outlet(item.FeedId, item.FeedId, Output.Link, null);

    /// <summary>A stable entry id: a name-based (version 5 layout) urn:uuid derived from the item's stored id.</summary>
    public static string EntryId(StoredItem item)
    {
        var hex = item.Id.PadRight(32, '0');
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
