namespace Aggregator.Deduplication;

/// <summary>A dispatch the index proposes as a possible copy of the one queried.</summary>
/// <param name="SimHashDistance">Hamming distance between the whole-text SimHashes.</param>
/// <param name="SketchMatches">Whole-text MinHash band keys in common (0 to 4).</param>
/// <param name="LeadSketchMatches">Lead MinHash band keys in common (0 to 4).</param>
internal readonly record struct NearDuplicateCandidate(string Id, DateTimeOffset Published, int SimHashDistance, int SketchMatches, int LeadSketchMatches)
{
    /// <summary>Lower is likelier: the SimHash distance, less four bits for each band key in common (a band match is strong evidence).</summary>
    public int Rank => SimHashDistance - (4 * (SketchMatches + LeadSketchMatches));
}

/// <summary>Proposes, among recently published dispatches, those whose SimHash is close to a fingerprint's or whose MinHash sketches share a band.</summary>
/// <remarks>
/// Memory is one 64-byte slot per item plus twelve 8-byte band entries (about 200 bytes an item with the id
/// lookup, ids themselves aside), and the tables' buckets, sized to the items: they start at 1,024 a band (150 KB
/// for the three tables) and double as the items grow, up to 65,536 (9 MB), so that a window of a few thousand
/// items does not hold buckets made for a million. Not thread-safe, queries included (they reuse one buffer): one
/// writer, or a lock around it.
/// </remarks>
internal sealed class NearDuplicateIndex
{
    /// <summary>The tables' first size: 2^10 buckets a band.</summary>
    public const int FirstBucketBits = 10;

    /// <summary>Items per bucket, on average, beyond which the tables double their buckets (until they use a band's 16 bits).</summary>
    public const int ItemsPerBucket = 2;

    private readonly DeduplicationSettings _settings;
    private BandTable _simHashes;
    private SketchTable _sketches;
    private SketchTable _leadSketches;
    private readonly Dictionary<string, int> _slotsById = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeSlots = new();
    private Slot[] _slots = new Slot[1024];
    private int _used;
    private readonly List<int> _found = new(1024);

    // A max-heap by rank (the comparer is reversed): its top is the worst candidate kept so far.
    private readonly PriorityQueue<NearDuplicateCandidate, (int Rank, int SimHashDistance, int Slot)> _best =
        new(Comparer<(int Rank, int SimHashDistance, int Slot)>.Create(static (a, b) => b.CompareTo(a)));
    private int[] _seenInQuery = new int[1024];
    private int _query;

    public NearDuplicateIndex(DeduplicationSettings? settings = null)
    {
        _settings = settings ?? new DeduplicationSettings();
        (_simHashes, _sketches, _leadSketches) = Tables(FirstBucketBits);
    }

    /// <summary>How many of a band's bits pick its bucket in the tables now (grows with the items, up to 16).</summary>
    public int BucketBits => _simHashes.BucketBits;

    public int Count => _slotsById.Count;

    /// <summary>The largest SimHash distance at which every item is found (the sketches find others further away).</summary>
    public int MaxSimHashDistance => _simHashes.MaxDistance;

    /// <summary>Adds an item, or replaces the one with the same id.</summary>
    public void Add(string id, Fingerprint fingerprint, DateTimeOffset published) =>
        Add(id, fingerprint.SimHash, fingerprint.Sketch, fingerprint.LeadSketch, published);

    /// <summary>Adds an item from stored hashes (rebuilding the index needs no texts), or replaces the one with the same id.</summary>
    public void Add(string id, ulong simHash, UInt128 sketch, UInt128 leadSketch, DateTimeOffset published)
    {
        ArgumentNullException.ThrowIfNull(id);
        Remove(id);
        int slot;
        if (_freeSlots.Count > 0)
        {
            slot = _freeSlots.Pop();
        }
        else
        {
            if (_used == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
                Array.Resize(ref _seenInQuery, _slots.Length);
            }

            slot = _used++;
        }

        _slots[slot] = new Slot(simHash, sketch, leadSketch, published.UtcTicks, id);
        _slotsById[id] = slot;
        _simHashes.Add(simHash, slot);
        _sketches.Add(sketch, slot);
        _leadSketches.Add(leadSketch, slot);
        if (_slotsById.Count > ItemsPerBucket << BucketBits && BucketBits < BandTable.MaxBucketBits)
        {
            Grow();
        }
    }

    private (BandTable SimHashes, SketchTable Sketches, SketchTable LeadSketches) Tables(int bucketBits) =>
        (new BandTable(_settings.MaxSimHashDistance, bucketBits), new SketchTable(bucketBits), new SketchTable(bucketBits));

    /// <summary>
    /// Rebuilds the tables with twice the buckets, adding the items oldest first: a sketch bucket is searched from
    /// its end, newest first, when it holds more matches than a query takes.
    /// </summary>
    private void Grow()
    {
        (_simHashes, _sketches, _leadSketches) = Tables(BucketBits + 1);
        foreach (var slot in _slotsById.Values.OrderBy(slot => _slots[slot].PublishedTicks))
        {
            var item = _slots[slot];
            _simHashes.Add(item.SimHash, slot);
            _sketches.Add(item.Sketch, slot);
            _leadSketches.Add(item.LeadSketch, slot);
        }
    }

    /// <summary>Removes an item; false when the id is not indexed.</summary>
    public bool Remove(string id)
    {
        if (!_slotsById.Remove(id, out var slot))
        {
            return false;
        }

        var item = _slots[slot];
        _simHashes.Remove(item.SimHash, slot);
        _sketches.Remove(item.Sketch, slot);
        _leadSketches.Remove(item.LeadSketch, slot);
        _slots[slot] = default;
        _freeSlots.Push(slot);
        return true;
    }

    public bool Contains(string id) => _slotsById.ContainsKey(id);

    /// <summary>
    /// Items published within the window of <paramref name="at"/> (default <see cref="DeduplicationSettings.Window"/>) whose
    /// SimHash is close or whose sketches share a band, likeliest first (<see cref="NearDuplicateCandidate.Rank"/>).
    /// An indexed item finds itself: skip its own id.
    /// </summary>
    public IReadOnlyList<NearDuplicateCandidate> Query(Fingerprint fingerprint, DateTimeOffset at, TimeSpan? window = null) =>
        Query(fingerprint.SimHash, fingerprint.Sketch, fingerprint.LeadSketch, at, window);

    public IReadOnlyList<NearDuplicateCandidate> Query(ulong simHash, UInt128 sketch, UInt128 leadSketch, DateTimeOffset at, TimeSpan? window = null)
    {
        // Reused: a query proposes hundreds of slots before the window and ranking keep a few.
        var found = _found;
        found.Clear();
        _simHashes.Search(simHash, found);
        var perBand = 4 * _settings.MaxCandidates;
        _sketches.Search(sketch, found, perBand);
        _leadSketches.Search(leadSketch, found, perBand);
        if (found.Count == 0)
        {
            return [];
        }

        var windowTicks = (window ?? _settings.Window).Ticks;
        var atTicks = at.UtcTicks;

        // A slot proposed again in the same query is skipped by its mark (sorting the hundreds proposed cost more).
        if (++_query == int.MaxValue)
        {
            Array.Clear(_seenInQuery);
            _query = 1;
        }

        // Only the likeliest MaxCandidates are kept, in a heap whose top is the worst kept: as the window fills, a
        // query proposes a thousand and more items close in SimHash, and sorting them all to keep 32 grew with it.
        var best = _best;
        best.Clear();
        var max = _settings.MaxCandidates;
        foreach (var slot in found)
        {
            if (_seenInQuery[slot] == _query)
            {
                continue;
            }

            _seenInQuery[slot] = _query;

            var item = _slots[slot];
            if (item.Id is null || Math.Abs(item.PublishedTicks - atTicks) > windowTicks)
            {
                continue;
            }

            var simDistance = (int)ulong.PopCount(item.SimHash ^ simHash);
            var sketchMatches = SketchTable.Matches(item.Sketch, sketch);
            var leadMatches = SketchTable.Matches(item.LeadSketch, leadSketch);
            if (simDistance <= _simHashes.MaxDistance || sketchMatches > 0 || leadMatches > 0)
            {
                var candidate = new NearDuplicateCandidate(item.Id, new DateTimeOffset(item.PublishedTicks, TimeSpan.Zero), simDistance, sketchMatches, leadMatches);
                var order = (candidate.Rank, simDistance, slot);
                if (best.Count < max)
                {
                    best.Enqueue(candidate, order);
                }
                else if (best.TryPeek(out _, out var worst) && order.CompareTo(worst) < 0)
                {
                    best.DequeueEnqueue(candidate, order);
                }
            }
        }

        // Likeliest first; ties go to the earlier slot, so the order does not depend on the order proposals came in.
        var ranked = new NearDuplicateCandidate[best.Count];
        for (var i = ranked.Length - 1; i >= 0; i--)
        {
            ranked[i] = best.Dequeue();
        }

        return ranked;
    }

    private readonly record struct Slot(ulong SimHash, UInt128 Sketch, UInt128 LeadSketch, long PublishedTicks, string? Id);
}
