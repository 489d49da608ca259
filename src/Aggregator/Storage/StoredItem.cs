using LiteDB;

namespace Aggregator.Storage;

/// <summary>An item as kept in LiteDB: clean body, UTC dates, a stable id derived from feed and identity.</summary>
internal sealed class StoredItem
{
    private string? bodyHtml = "";
    private string? bodyText = "";

    // The bodies as the document holds them; null until packed or read. Each part the mapper reads is set alone.
    private PackedBodies? packed;

    private (string Html, string Text) Unpacked()
    {
        if (bodyHtml is null || bodyText is null)
        {
            (bodyHtml, bodyText) = BodyPacking.Unpack(packed.GetValueOrDefault());
        }

        return (bodyHtml, bodyText);
    }

    // Bodies set on an item, not prepared by the store (see UsePacked), are packed by Brotli, which needs no dictionary.
    private PackedBodies Packed() => packed ??= Pack(Unpacked());

    private static PackedBodies Pack((string Html, string Text) bodies) => BodyPacking.Pack(bodies.Html, bodies.Text);

    private void Read(PackedBodies part)
    {
        packed = part;
        (bodyHtml, bodyText) = (null, null);
    }

    /// <summary>
    /// The current bodies as <see cref="BodyPacking.Pack"/> packed them (off the write lock): kept beside the text,
    /// so writing the item does not pack them again. Null leaves packing to the write.
    /// </summary>
    public void UsePacked(PackedBodies? bodies)
    {
        if (bodies is not null)
        {
            packed = bodies;
        }
    }

    /// <summary>
    /// The item's key in LiteDB (<c>_id</c>): one more than the newest item's when it was stored, so that each new item
    /// goes to the end of the key's index. Exports, stories and listings name items by <see cref="Id"/>; stories also
    /// keep their items' rows (<see cref="StoredStory.ItemRows"/>), so that exports read items without the identity index.
    /// </summary>
    public long Row { get; set; }

    /// <summary>Hex digest of feed id and identity: the same across re-fetches, restarts and exports.</summary>
    public string Id { get; set; } = "";

    public string FeedId { get; set; } = "";

    /// <summary>The identity inside the feed: "id:" guid, "link:" canonical link, or "hash:" of title and date.</summary>
    public string Identity { get; set; } = "";

    public string? Link { get; set; }

    public string Title { get; set; } = "";

    public string? Author { get; set; }

    public List<string> Categories { get; set; } = [];

    public List<StoredEnclosure> Enclosures { get; set; } = [];

    [BsonIgnore]
    public string BodyHtml
    {
        get => Unpacked().Html;
        set => (bodyHtml, bodyText, packed) = (value, Unpacked().Text, null);
    }

    [BsonIgnore]
    public string BodyText
    {
        // The text alone when only it is asked for: a search reads the text of thousands of items and shows few.
        get => bodyText ??= BodyPacking.UnpackText(packed.GetValueOrDefault());
        set => (bodyHtml, bodyText, packed) = (Unpacked().Html, value, null);
    }

    /// <summary>The field a body packed with the store's dictionary is kept under.</summary>
    public const string BodyField = "Body";

    /// <summary>The bodies as LiteDB keeps them (see <see cref="PackedBodies"/>): packed when written, unpacked when first read.</summary>
    [BsonField(nameof(BodyHtml))]
    public BsonValue? PackedBodyHtml
    {
        get => Packed().Html;
        set => Read(packed.GetValueOrDefault() with { Html = value });
    }

    [BsonField(nameof(BodyText))]
    public BsonValue? PackedBodyText
    {
        get => Packed().Text;
        set => Read(packed.GetValueOrDefault() with { Text = value });
    }

    [BsonField(BodyField)]
    public BsonValue? PackedBody
    {
        get => Packed().Body;
        set => Read(packed.GetValueOrDefault() with { Body = value });
    }

    public DateTime Published { get; set; }

    /// <summary>The source's updated date; else published; else the time we saw a change.</summary>
    public DateTime Updated { get; set; }

    public DateTime? SourceUpdated { get; set; }

    public DateTime FirstSeen { get; set; }

    private string? storyId;

    /// <summary>The story this item tells: shared with the other outlets' copies of the same dispatch; its own id while it tells it alone.</summary>
    [BsonIgnore]
    public string StoryId
    {
        get => string.IsNullOrEmpty(storyId) ? Id : storyId;
        set => storyId = value;
    }

    /// <summary>
    /// Whether the item tells a story no other outlet's copy has joined: such a story has no document of its own (it
    /// is read from its item), which spares most new items a second document and its two index entries.
    /// </summary>
    [BsonIgnore]
    public bool Alone => string.IsNullOrEmpty(storyId);

    /// <summary><see cref="StoryId"/> as stored: left out while the item is <see cref="Alone"/>. Stores written before hold it always.</summary>
    [BsonField(nameof(StoryId))]
    public string? StoredStoryId
    {
        get => string.IsNullOrEmpty(storyId) ? null : storyId;
        set => storyId = value;
    }

    /// <summary>The near-duplicate fingerprint's index keys, kept so the index is rebuilt at start-up without re-reading text.</summary>
    public long SimHash { get; set; }

    public long SketchHigh { get; set; }

    public long SketchLow { get; set; }

    public long LeadSketchHigh { get; set; }

    public long LeadSketchLow { get; set; }

    /// <summary>Digest of what a reader sees (title, body, link, source updated): a change means a correction.</summary>
    public string ContentHash { get; set; } = "";

    /// <summary>The <see cref="Storage.SourceDigest"/> the item was last written from, when a refresher read it: the identity index starts from it.</summary>
    public long? SourceDigest { get; set; }

    /// <summary>Where the body came from when it was read from the article's page; null when from the feed.</summary>
    public PageSource? Page { get; set; }
}

/// <summary>A media file attached to a stored item.</summary>
internal sealed class StoredEnclosure
{
    public string Url { get; set; } = "";

    public string? MediaType { get; set; }

    public long? Length { get; set; }
}

/// <summary>One story: the same dispatch from one or more outlets, presented once by its canonical item.</summary>
internal sealed class StoredStory
{
    /// <summary>The id of the item that opened the story: stable when other outlets join later.</summary>
    public string Id { get; set; } = "";

    private string? canonicalId;

    /// <summary>The member the story is shown by: the item that opened it unless another outlet's copy ranks higher.</summary>
    [BsonIgnore]
    public string CanonicalId
    {
        get => string.IsNullOrEmpty(canonicalId) ? Id : canonicalId;
        set => canonicalId = value;
    }

    /// <summary>
    /// <see cref="CanonicalId"/> as stored: left out while it is the opening item, as for most stories (50 bytes of
    /// each story document). Stores written before hold it always and read back the same.
    /// </summary>
    [BsonField(nameof(CanonicalId))]
    public string? StoredCanonicalId
    {
        get => string.IsNullOrEmpty(canonicalId) || canonicalId == Id ? null : canonicalId;
        set => canonicalId = value;
    }

    /// <summary>The canonical item's published date: stories are listed newest first by it.</summary>
    public DateTime Published { get; set; }

    /// <summary>Moves forward when an outlet joins or the canonical item is corrected.</summary>
    public DateTime Updated { get; set; }

    public List<string> ItemIds { get; set; } = [];

    /// <summary>
    /// The rows of <see cref="ItemIds"/> (<see cref="StoredItem.Row"/>), in the same order, 0 where unknown: readers
    /// find a story's items without the identity index. The copy into rows gives them to the stories of a store written
    /// before; a story whose rows do not match its items is read through the index.
    /// </summary>
    public List<long> ItemRows { get; set; } = [];

    /// <summary>The row of one of the story's items, or 0 when the story does not know it.</summary>
    public long RowOf(string itemId)
    {
        var at = ItemIds.IndexOf(itemId);
        return at >= 0 && ItemRows.Count == ItemIds.Count ? ItemRows[at] : 0;
    }

    /// <summary>The canonical item, when the listing that found the story read it too (not stored).</summary>
    [BsonIgnore]
    public StoredItem? CanonicalItem { get; set; }

    /// <summary>Sets <see cref="ItemRows"/> from the items read (0 for an item not among them).</summary>
    public void RowsFrom(IReadOnlyCollection<StoredItem> members) =>
        ItemRows = [.. ItemIds.Select(id => members.FirstOrDefault(m => m.Id == id)?.Row ?? 0)];
}
