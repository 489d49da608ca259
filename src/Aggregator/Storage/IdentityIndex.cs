using System.Globalization;

namespace Aggregator.Storage;

/// <summary>
/// The stable ids the store holds, as 64-bit digests beside a digest of each item's content: tells a new item from
/// a known, unchanged one without reading LiteDB. An open-addressing table, 16 bytes a slot, at most half full.
/// </summary>
/// <remarks>One writer at a time (the store's write lock); readers need no lock and may miss an id added meanwhile.</remarks>
internal sealed class IdentityIndex
{
    /// <summary>The content digest of an id known without its content (a purged item): never equal to a real one.</summary>
    public const ulong UnknownContent = 0;

    private Table table = new(1 << 10);

    public int Count => Volatile.Read(ref table).Count;

    /// <summary>The table's memory: two 8-byte arrays the size of its slots.</summary>
    public long MemoryBytes => Volatile.Read(ref table).Keys.LongLength * 16;

    public bool Contains(string stableId) => TryGet(stableId, out _);

    /// <summary>Whether the id is known, and the digest of its content when it is.</summary>
    public bool TryGet(string stableId, out ulong contentDigest)
    {
        var current = Volatile.Read(ref table);
        var key = KeyOf(stableId);
        for (var slot = (int)key & current.Mask; ; slot = (slot + 1) & current.Mask)
        {
            var found = current.Keys[slot];
            if (found == key)
            {
                contentDigest = current.Values[slot];
                return true;
            }

            if (found == 0)
            {
                contentDigest = UnknownContent;
                return false;
            }
        }
    }

    /// <summary>Adds an id, or replaces its content digest. Purged ids are added with <see cref="UnknownContent"/>.</summary>
    public void Add(string stableId, ulong contentDigest = UnknownContent)
    {
        var current = table;
        if ((current.Count + 1) * 2 > current.Keys.Length)
        {
            current = Grown(current);
        }

        Put(current, KeyOf(stableId), contentDigest);
        Volatile.Write(ref table, current);
    }

    /// <summary>A 64-bit digest of a stable id: its first 16 hex digits (ids are hex digests already), else a hash of it.</summary>
    public static ulong KeyOf(string stableId) => NonZero(DigestOf(stableId));

    /// <summary>A 64-bit digest of a hex digest such as <see cref="StoredItem.ContentHash"/>.</summary>
    public static ulong DigestOf(string hexDigest) =>
        hexDigest.Length >= 16 && ulong.TryParse(hexDigest.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : DigestOf(ItemIdentity.Digest(hexDigest));

    private static ulong NonZero(ulong key) => key == 0 ? 1 : key;

    private static void Put(Table target, ulong key, ulong value)
    {
        for (var slot = (int)key & target.Mask; ; slot = (slot + 1) & target.Mask)
        {
            var found = target.Keys[slot];
            if (found == key)
            {
                target.Values[slot] = value;
                return;
            }

            if (found == 0)
            {
                // Value first: a reader that sees the key sees its value.
                target.Values[slot] = value;
                Volatile.Write(ref target.Keys[slot], key);
                target.Count++;
                return;
            }
        }
    }

    private static Table Grown(Table current)
    {
        var grown = new Table(current.Keys.Length * 2);
        for (var i = 0; i < current.Keys.Length; i++)
        {
            if (current.Keys[i] != 0)
            {
                Put(grown, current.Keys[i], current.Values[i]);
            }
        }

        return grown;
    }

    private sealed class Table(int size)
    {
        public readonly ulong[] Keys = new ulong[size];
        public readonly ulong[] Values = new ulong[size];
        public readonly int Mask = size - 1;
        public int Count;
    }
}
