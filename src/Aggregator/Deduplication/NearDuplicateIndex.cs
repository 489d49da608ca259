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
/// lookup, ids themselves aside). Not thread-safe, queries included (they reuse one buffer): one writer, or a lock
/// around it.
/// </remarks>
internal sealed class NearDuplicateIndex
{
    private readonly DeduplicationSettings _settings;
    private readonly BandTable _simHashes;
    private readonly SketchTable _sketches = new();
    private readonly SketchTable _leadSketches = new();
    private readonly Dictionary<string, int> _slotsById = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeSlots = new();
    private Slot[] _slots = new Slot[1024];
    private int _used;
    private readonly List<int> _found = new(1024);
    private int[] _seenInQuery = new int[1024];
    private int _query;

    public NearDuplicateIndex(DeduplicationSettings? settings = null)
    {
        _settings = settings ?? new DeduplicationSettings();
        _simHashes = new BandTable(_settings.MaxSimHashDistance);
    }

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

        var candidates = new List<(int Slot, NearDuplicateCandidate Candidate)>();
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
                var published = new DateTimeOffset(item.PublishedTicks, TimeSpan.Zero);
                candidates.Add((slot, new NearDuplicateCandidate(item.Id, published, simDistance, sketchMatches, leadMatches)));
            }
        }

        // Likeliest first; ties go to the earlier slot, so the order does not depend on the order proposals came in.
        candidates.Sort(static (a, b) =>
            a.Candidate.Rank != b.Candidate.Rank ? a.Candidate.Rank.CompareTo(b.Candidate.Rank)
            : a.Candidate.SimHashDistance != b.Candidate.SimHashDistance ? a.Candidate.SimHashDistance.CompareTo(b.Candidate.SimHashDistance)
            : a.Slot.CompareTo(b.Slot));
        return candidates.Take(_settings.MaxCandidates).Select(c => c.Candidate).ToList();
    }

    private readonly record struct Slot(ulong SimHash, UInt128 Sketch, UInt128 LeadSketch, long PublishedTicks, string? Id);
}
