using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Aggregator.Configuration;
using Aggregator.Fetching;
using Aggregator.Parsing;
using Aggregator.Storage;

namespace Aggregator.Scheduling;

/// <summary>
/// Per feed, the text of each item of its last fetch (a digest of it) and what it was read as: its identity and its
/// source digest. An item that comes again with the same text, in the same document context, is the same item: it
/// is left out of the text the parser reads, and listed as unchanged while the store still holds it from that
/// source. On a feed polled every few minutes that is nearly every item of nearly every fetch. Held in memory
/// only: after a restart the first fetch of each feed reads it whole.
/// </summary>
internal sealed class SeenItemTexts(ItemStore store)
{
    private readonly ConcurrentDictionary<string, Seen> byFeed = new(StringComparer.Ordinal);

    /// <summary>A feed's last reading: its context, and per item text digest, what the item was read as.</summary>
    private sealed record Seen(ulong Context, string ItemContext, Dictionary<ulong, SeenItem> Items);

    /// <summary>An item as read: its identity, the stable id derived from it (kept: a SHA-256 less per item and fetch), its source digest.</summary>
    private readonly record struct SeenItem(string Identity, string Id, ulong Source);

    /// <summary>What to parse of a fetched document, and which of its items are left out as read before.</summary>
    /// <remarks>
    /// A UTF-8 document is read in its bytes: the items left out are never decoded, nor is the document whole unless
    /// nothing is left out. A document in another encoding is decoded whole and read as text.
    /// </remarks>
    public ItemReading Plan(FeedConfig feed, FetchedText document, Uri finalUrl)
    {
        if (feed.FullText)
        {
            return ItemReading.Whole(document.Text);
        }

        var text = document.IsUtf8 ? null : document.Text;
        if ((text is null ? RawItems.Find(document.Utf8) : RawItems.Find(text)) is not { } raw)
        {
            return ItemReading.Whole(document.Text);
        }

        var context = ContextOf(raw, finalUrl, feed.Clean);
        var digests = new ulong[raw.Items.Count];
        var left = new List<int>();
        var seen = byFeed.GetValueOrDefault(feed.Id) is { } last && last.Context == context ? last : null;
        var unread = new ItemCandidate?[raw.Items.Count];
        for (var i = 0; i < raw.Items.Count; i++)
        {
            var (start, length) = raw.Items[i];
            digests[i] = XxHash3.HashToUInt64(text is null ? document.Utf8.Slice(start, length) : MemoryMarshal.AsBytes(text.AsSpan(start, length)));
            if (seen is not null && seen.Items.TryGetValue(digests[i], out var item)
                && store.HasUnchangedSource(item.Id, item.Source))
            {
                left.Add(i);
                unread[i] = new ItemCandidate(item.Identity, null, "", null, [], [], "", "", null, null) { Id = item.Id, SourceDigest = item.Source, Unread = true };
            }
        }

        var kept = left.Count == 0 ? document.Text : text is null ? raw.Without(document.Utf8, left) : raw.Without(text, left);
        return new ItemReading(kept, raw, context, digests, unread, seen?.ItemContext);
    }

    /// <summary>
    /// Keeps what the feed's items were read as, for its next fetch: the items parsed now (one per item text the
    /// reading kept, else nothing is kept) as <paramref name="read"/> made them, and the items left out.
    /// </summary>
    public void Learn(FeedConfig feed, ItemReading reading, int parsedItems, string parsedItemContext, IReadOnlyList<ItemCandidate> read)
    {
        if (reading.Raw is null || !reading.Fits(parsedItems, parsedItemContext))
        {
            byFeed.TryRemove(feed.Id, out _);
            return;
        }

        var items = new Dictionary<ulong, SeenItem>(reading.Digests.Length);
        var next = 0;
        for (var i = 0; i < reading.Digests.Length; i++)
        {
            var item = reading.Unread[i] ?? read[next++];
            items[reading.Digests[i]] = new SeenItem(item.Identity, item.Id ?? ItemIdentity.StableId(feed.Id, item.Identity), item.SourceDigest!.Value);
        }

        byFeed[feed.Id] = new Seen(reading.Context, parsedItemContext, items);
    }

    private static ulong ContextOf(RawItems raw, Uri finalUrl, CleanRules? rules)
    {
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes(raw.Context.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(finalUrl.AbsoluteUri.AsSpan()));
        hash.Append(BitConverter.GetBytes(SourceDigest.OfRules(rules)));
        return hash.GetCurrentHashAsUInt64();
    }
}

/// <summary>
/// The text a refresh parses: the document, less the items left out as read before (<see cref="Unread"/>, by the
/// item's place in the document; null for the items parsed).
/// </summary>
internal sealed record ItemReading(string Text, RawItems? Raw, ulong Context, ulong[] Digests, ItemCandidate?[] Unread, string? SeenItemContext)
{
    public static ItemReading Whole(string text) => new(text, null, 0, [], [], null);

    public bool LeavesOut => Unread.Any(u => u is not null);

    /// <summary>
    /// Whether the parse of <see cref="Text"/> lines up with the items found in it, one parsed item per item text
    /// kept, read in the context the left-out ones were read in; else the document is parsed whole.
    /// </summary>
    public bool Fits(ParsedFeed parsed) => Fits(parsed.Items.Count, parsed.ItemContext);

    /// <inheritdoc cref="Fits(ParsedFeed)"/>
    public bool Fits(int parsedItems, string parsedItemContext) =>
        parsedItems == Unread.Count(u => u is null) && (!LeavesOut || parsedItemContext == SeenItemContext);

    /// <summary>The candidates in document order: each left-out item as unread, each parsed one as <paramref name="read"/> made it.</summary>
    public IReadOnlyList<ItemCandidate> InOrder(IReadOnlyList<ItemCandidate> read)
    {
        if (!LeavesOut)
        {
            return read;
        }

        var next = 0;
        return Unread.Select(u => u ?? read[next++]).ToList();
    }
}
