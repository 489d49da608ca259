using LiteDB;

namespace Aggregator.Storage;

internal sealed partial class ItemStore
{
    private IdentityIndex? identities;
    private ItemCounts? counts;

    private enum Known
    {
        New,
        Unchanged,
        Changed,
    }

    /// <summary>Whether an item with this stable id is stored, or was and has been purged: answered from memory.</summary>
    public bool Contains(string stableId) => Identities.Contains(stableId);

    /// <summary>Remembers an id without its content, so that the item is never taken for new again (e.g. once purged).</summary>
    public void RememberIdentity(string stableId)
    {
        lock (writeLock)
        {
            Identities.Add(stableId);
        }
    }

    /// <summary>Whether the identity index has been read from the store (for tests: exports should not need it).</summary>
    internal bool IdentitiesRead => Volatile.Read(ref identities) is not null;

    /// <summary>How many ids the in-memory identity index holds, and its memory in bytes.</summary>
    public (int Count, long Bytes) IdentityIndexSize => (Identities.Count, Identities.MemoryBytes);

    /// <summary>Built from the store on first use, so opening the store for an export costs no scan.</summary>
    private IdentityIndex Identities
    {
        get
        {
            if (Volatile.Read(ref identities) is { } built)
            {
                return built;
            }

            lock (writeLock)
            {
                if (identities is null)
                {
                    (var loaded, counts) = Load();
                    Volatile.Write(ref identities, loaded);
                    CompactLargeObjects(loaded);
                }

                return identities;
            }
        }
    }

    /// <summary>Items per feed and when each last brought a new one: read with the identity index, kept up to date by writes.</summary>
    private ItemCounts FeedCounts
    {
        get
        {
            // Both are dropped together after a rollback and read again together: wait for the pair.
            while (true)
            {
                _ = Identities;
                if (Volatile.Read(ref counts) is { } known)
                {
                    return known;
                }
            }
        }
    }

    private Known Recognise(string id, ulong digest) =>
        !Identities.TryMatch(id, digest, out var same) ? Known.New
        : same ? Known.Unchanged
        : Known.Changed;

    private void Remember(string id, ulong digest, long row = IdentityIndex.NoRow) => Identities.Add(id, digest, checked((uint)row));

    /// <summary>A new item's row: past every row stored, so that its insert goes to the end of the key's index.</summary>
    private long NextRow() => ++lastRow;

    /// <summary>After a rollback the index may name items the store never kept: drop it, it is rebuilt on next use.</summary>
    private void ForgetIdentities()
    {
        lock (writeLock)
        {
            Volatile.Write(ref identities, null);
            Volatile.Write(ref counts, null);
        }
    }

    /// <summary>
    /// Loading grows the index by copying it into larger arrays, and the large object heap keeps the arrays left
    /// behind until a full collection, which the GC does not run on its own in a load: at a million items the old
    /// tables (about 45 MB) were all held at the load's end, which made the service's peak (205 MB when readers' requests
    /// came in meanwhile, memory-1m.sh). So each growth past <see cref="CompactAfterLoadBytes"/> is collected at once,
    /// aggressively: a plain compacting collection kept 26 MB of the load's free space committed until the service went
    /// quiet and the trimmer ran. The index is built once per process (again only after a rollback), so this runs a
    /// handful of times.
    /// </summary>
    private static void CompactLargeObjects(IdentityIndex loaded)
    {
        if (loaded.MemoryBytes >= CompactAfterLoadBytes)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>An index this large (about 200,000 items) was copied into the large object heap several times.</summary>
    private const long CompactAfterLoadBytes = 4 << 20;

    private (IdentityIndex Index, ItemCounts Counts) Load()
    {
        var index = new IdentityIndex();
        var itemCounts = new ItemCounts();
        var size = index.MemoryBytes;
        foreach (var pair in Scan("items", BsonExpression.Create("{ _id: $._id, i: $.Id, h: $.ContentHash, s: $.SourceDigest, f: $.FeedId, n: $.FirstSeen }")))
        {
            var source = pair["s"].IsInt64 ? unchecked((ulong)pair["s"].AsInt64) : IdentityIndex.UnknownContent;
            var digest = source != IdentityIndex.UnknownContent ? source : IdentityIndex.DigestOf(pair["h"].AsString);
            index.Add(pair["i"].AsString, digest, checked((uint)pair["_id"].AsInt64));
            itemCounts.Added(pair["f"].AsString, pair["n"].AsDateTime.ToUniversalTime());
            if (index.MemoryBytes != size)
            {
                // It grew: the table it left is garbage now.
                size = index.MemoryBytes;
                CompactLargeObjects(index);
            }
        }

        // Purged items are known too: without content, so a feed that still lists one is checked against them.
        foreach (var gone in Scan("purged", BsonExpression.Create("{ _id: $._id }")))
        {
            index.Add(gone["_id"].AsString);
        }

        return (index, itemCounts);
    }

    private IEnumerable<BsonDocument> Scan(string collection, BsonExpression select) => Scan(database, collection, select);

    /// <summary>
    /// What <paramref name="select"/> picks of every document (with its <c>_id</c>), read by id in chunks of
    /// <see cref="ScanChunk"/>, each its own query: LiteDB keeps every page a query touched cached until the query
    /// ends, so one query over a million items grew the process by a gigabyte that it never gave back.
    /// </summary>
    internal static IEnumerable<BsonDocument> Scan(LiteDatabase database, string collection, BsonExpression select)
    {
        var after = BsonValue.MinValue;
        while (true)
        {
            var chunk = database.GetCollection(collection).Query()
                .Where(BsonExpression.Create("_id > @0", after))
                .OrderBy(BsonExpression.Create("_id"))
                .Select(select)
                .Limit(ScanChunk)
                .ToList();
            // Taken before the documents go out: a caller may change them (the compactor gives items rows).
            var last = chunk.Count < ScanChunk ? null : chunk[^1]["_id"];
            foreach (var document in chunk)
            {
                yield return document;
            }

            if (last is null)
            {
                yield break;
            }

            after = last;
        }
    }

    private const int ScanChunk = 250;
}
