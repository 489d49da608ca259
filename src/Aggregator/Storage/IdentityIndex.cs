using System.Globalization;

namespace Aggregator.Storage;

/// <summary>
/// The stable ids the store holds, as 64-bit digests beside a 32-bit digest of each item's content and the item's row
/// (its key in LiteDB, <see cref="StoredItem.Row"/>): tells a new item from a known, unchanged one without reading
/// LiteDB, and finds a known one's document. An open-addressing table of 16 bytes a slot, at most three quarters full,
/// grown by half: at a million ids 24 MB.
/// </summary>
/// <remarks>
/// One writer at a time (the store's write lock); readers need no lock and may miss an id added meanwhile. The content
/// digest is folded to 32 bits (<see cref="Fold"/>; <see cref="TryMatch"/> compares so): a changed item taken for unchanged, its correction missed, is a
/// chance of one in four billion per change.
/// </remarks>
internal sealed class IdentityIndex
{
    /// <summary>The content digest of an id known without its content (a purged item): never equal to a real one.</summary>
    public const ulong UnknownContent = 0;

    private Table table = new(1 << 10);

    public int Count => Volatile.Read(ref table).Count;

    /// <summary>The row of an id known without a document (a purged item's).</summary>
    public const uint NoRow = 0;

    /// <summary>The table's memory: an 8-byte and two 4-byte arrays the size of its slots.</summary>
    public long MemoryBytes => Volatile.Read(ref table).Keys.LongLength * 16;

    public bool Contains(string stableId) => Find(stableId, out _, out _);

    /// <summary>The longest run of occupied slots, which bounds a lookup's walk (for tests and diagnosis).</summary>
    public int LongestRun => Volatile.Read(ref table).LongestRun();

    /// <summary>Whether the id is known, and the <see cref="Fold">folded</see> digest of its content when it is.</summary>
    public bool TryGet(string stableId, out ulong contentDigest)
    {
        var known = Find(stableId, out var found, out var slot);
        contentDigest = known ? found.Values[slot] : UnknownContent;
        return known;
    }

    /// <summary>Whether the id is known, and its item's row when it has a document (else <see cref="NoRow"/>).</summary>
    public bool TryGetRow(string stableId, out uint row)
    {
        var known = Find(stableId, out var found, out var slot);
        row = known ? found.Rows[slot] : NoRow;
        return known;
    }

    /// <summary>The id's slot, in the table current when asked; only the array asked of is read then, one cache line.</summary>
    private bool Find(string stableId, out Table found, out int slot)
    {
        found = Volatile.Read(ref table);
        var key = KeyOf(stableId);
        for (slot = found.Home(key); ; slot = found.Next(slot))
        {
            var at = Volatile.Read(ref found.Keys[slot]);
            if (at == key)
            {
                return true;
            }

            if (at == 0)
            {
                return false;
            }
        }
    }

    /// <summary>Whether the id is known, and whether its content digest is this one (compared as the index keeps it, <see cref="Fold"/>-ed).</summary>
    public bool TryMatch(string stableId, ulong contentDigest, out bool sameContent)
    {
        var known = TryGet(stableId, out var kept);
        sameContent = known && kept == Fold(contentDigest);
        return known;
    }

    /// <summary>
    /// Adds an id, or replaces its content digest (and its row, unless <paramref name="row"/> is <see cref="NoRow"/>).
    /// Purged ids are added with <see cref="UnknownContent"/> and no row.
    /// </summary>
    public void Add(string stableId, ulong contentDigest = UnknownContent, uint row = NoRow)
    {
        var current = table;
        if ((current.Count + 1) * 4L > current.Keys.Length * 3L)
        {
            current = Grown(current);
        }

        Put(current, KeyOf(stableId), (uint)Fold(contentDigest), row);
        Volatile.Write(ref table, current);
    }

    /// <summary>
    /// A content digest as the index keeps it: its two halves xor-ed into 32 bits, never 0 unless it was
    /// <see cref="UnknownContent"/>. What <see cref="TryGet"/> gives is compared with a digest folded so.
    /// </summary>
    public static ulong Fold(ulong contentDigest)
    {
        if (contentDigest == UnknownContent)
        {
            return UnknownContent;
        }

        var folded = (uint)(contentDigest ^ (contentDigest >> 32));
        return folded == 0 ? 1 : folded;
    }

    /// <summary>A 64-bit digest of a stable id: its first 16 hex digits (ids are hex digests already), else a hash of it.</summary>
    public static ulong KeyOf(string stableId) => NonZero(DigestOf(stableId));

    /// <summary>A 64-bit digest of a hex digest such as <see cref="StoredItem.ContentHash"/>.</summary>
    public static ulong DigestOf(string hexDigest) =>
        hexDigest.Length >= 16 && ulong.TryParse(hexDigest.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : DigestOf(ItemIdentity.Digest(hexDigest));

    private static ulong NonZero(ulong key) => key == 0 ? 1 : key;

    private static void Put(Table target, ulong key, uint value, uint row)
    {
        for (var slot = target.Home(key); ; slot = target.Next(slot))
        {
            var found = target.Keys[slot];
            if (found == key)
            {
                target.Values[slot] = value;
                if (row != NoRow)
                {
                    target.Rows[slot] = row;
                }

                return;
            }

            if (found == 0)
            {
                // Value and row first: a reader that sees the key sees them.
                target.Values[slot] = value;
                target.Rows[slot] = row;
                Volatile.Write(ref target.Keys[slot], key);
                target.Count++;
                return;
            }
        }
    }

    private static Table Grown(Table current)
    {
        var grown = new Table(current.Keys.Length + (current.Keys.Length / 2));
        for (var i = 0; i < current.Keys.Length; i++)
        {
            if (current.Keys[i] != 0)
            {
                Put(grown, current.Keys[i], current.Values[i], current.Rows[i]);
            }
        }

        return grown;
    }

    private sealed class Table(int size)
    {
        public readonly ulong[] Keys = new ulong[size];
        public readonly uint[] Values = new uint[size];
        public readonly uint[] Rows = new uint[size];
        public int Count;

        /// <summary>
        /// A key's first slot: its low 32 bits scaled to the table's size, which spreads keys over a table of any size.
        /// Not its high bits: the store is read in id order, so those rose steadily and every id read so far crowded
        /// into the start of the table (loading a million ids took 200 s instead of 20).
        /// </summary>
        public int Home(ulong key) => (int)(((ulong)(uint)key * (ulong)Keys.Length) >> 32);

        /// <summary>The longest run of occupied slots: how far a lookup may have to walk.</summary>
        public int LongestRun()
        {
            int longest = 0, run = 0;
            foreach (var key in Keys)
            {
                run = key == 0 ? 0 : run + 1;
                longest = Math.Max(longest, run);
            }

            return longest;
        }

        public int Next(int slot) => slot + 1 == Keys.Length ? 0 : slot + 1;
    }
}
