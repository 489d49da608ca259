using System.IO.Hashing;
using System.Runtime.InteropServices;
using Aggregator.Cleaning;
using Aggregator.Configuration;
using Aggregator.Parsing;

namespace Aggregator.Storage;

/// <summary>
/// A 64-bit digest of an item as the source gave it, with the rules it is cleaned by. While it stays the same the
/// item's clean body would come out the same, so a refresh asks the store's identity index before cleaning: most
/// of a feed's items are ones stored before, and cleaning is most of what a refresh costs.
/// </summary>
internal static class SourceDigest
{
    public static ulong Of(ParsedItem item, CleanRules? rules)
    {
        var hash = new XxHash3();
        AppendRules(hash, rules);
        Append(hash, item.SourceId);
        Append(hash, item.Link?.AbsoluteUri);
        Append(hash, item.Title);
        Append(hash, item.Published?.UtcTicks ?? 0);
        Append(hash, item.Updated?.UtcTicks ?? 0);
        Append(hash, item.Author);
        Append(hash, item.Categories.Count);
        foreach (var category in item.Categories)
        {
            Append(hash, category);
        }

        Append(hash, item.Enclosures.Count);
        foreach (var enclosure in item.Enclosures)
        {
            Append(hash, enclosure.Url.AbsoluteUri);
            Append(hash, enclosure.MediaType);
            Append(hash, enclosure.Length ?? -1);
        }

        Append(hash, item.BodyBase?.AbsoluteUri);
        Append(hash, item.BodyHtml);
        var digest = hash.GetCurrentHashAsUInt64();
        // Zero is the identity index's "content unknown" (a purged item): never a digest.
        return digest == IdentityIndex.UnknownContent ? 1 : digest;
    }

    /// <summary>A digest of the cleaning an item's source digest includes: the rules, and the cleaner's version.</summary>
    public static ulong OfRules(CleanRules? rules)
    {
        var hash = new XxHash3();
        AppendRules(hash, rules);
        return hash.GetCurrentHashAsUInt64();
    }

    private static void AppendRules(XxHash3 hash, CleanRules? rules)
    {
        Append(hash, HtmlCleaner.OutputVersion);
        Append(hash, rules?.Content);
        foreach (var remove in rules?.Remove ?? [])
        {
            Append(hash, remove);
        }
    }

    // Every field goes in with its length first, so that no two different items append the same bytes.
    private static void Append(XxHash3 hash, string? text)
    {
        Append(hash, text?.Length ?? -1);
        hash.Append(MemoryMarshal.AsBytes((text ?? "").AsSpan()));
    }

    private static void Append(XxHash3 hash, long value) => hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(in value)));
}
