namespace Aggregator.Deduplication;

/// <summary>A dispatch the index proposes as a possible copy of the one queried.</summary>
/// <param name="SimHashDistance">Hamming distance between the whole-text SimHashes.</param>
/// <param name="LeadHashDistance">Hamming distance between the lead SimHashes.</param>
/// <param name="SketchMatches">MinHash band keys in common (0 to 4).</param>
internal readonly record struct NearDuplicateCandidate(string Id, DateTimeOffset Published, int SimHashDistance, int LeadHashDistance, int SketchMatches)
{
    /// <summary>The closer of the two SimHash distances.</summary>
    public int Distance => Math.Min(SimHashDistance, LeadHashDistance);

    /// <summary>Lower is likelier: the distance, less four bits for each sketch band in common (a band match is strong evidence).</summary>
    public int Rank => Distance - (4 * SketchMatches);
}

/// <summary>Proposes, among recently published dispatches, those whose SimHash or lead hash is close to a fingerprint.</summary>
/// <remarks>
/// Memory is one 48-byte slot per item plus twelve 8-byte band entries (about 200 bytes an item with the id
/// lookup, ids themselves aside). Not thread-safe: one writer, or a lock around it.
/// </remarks>
internal sealed class NearDuplicateIndex
{
    private readonly DeduplicationSettings _settings;
    private readonly BandTable _simHashes;
    private readonly BandTable _leadHashes;
    private readonly SketchTable _sketches = new();
    private readonly Dictionary<string, int> _slotsById = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeSlots = new();
    private Slot[] _slots = new Slot[1024];
    private int _used;

    public NearDuplicateIndex(DeduplicationSettings? settings = null)
    {
        _settings = settings ?? new DeduplicationSettings();
        _simHashes = new BandTable(_settings.MaxSimHashDistance);
        _leadHashes = new BandTable(_settings.MaxLeadHashDistance);
    }

    public int Count => _slotsById.Count;

    /// <summary>Adds an item, or replaces the one with the same id.</summary>
    public void Add(string id, Fingerprint fingerprint, DateTimeOffset published) =>
        Add(id, fingerprint.SimHash, fingerprint.LeadHash, fingerprint.Sketch, published);

    /// <summary>Adds an item from stored hashes (rebuilding the index needs no texts), or replaces the one with the same id.</summary>
    public void Add(string id, ulong simHash, ulong leadHash, UInt128 sketch, DateTimeOffset published)
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
            }

            slot = _used++;
        }

        _slots[slot] = new Slot(simHash, leadHash, sketch, published.UtcTicks, id);
        _slotsById[id] = slot;
        _simHashes.Add(simHash, slot);
        _leadHashes.Add(leadHash, slot);
        _sketches.Add(sketch, slot);
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
        _leadHashes.Remove(item.LeadHash, slot);
        _sketches.Remove(item.Sketch, slot);
        _slots[slot] = default;
        _freeSlots.Push(slot);
        return true;
    }

    public bool Contains(string id) => _slotsById.ContainsKey(id);

    /// <summary>Items published within the window of <paramref name="at"/> (default <see cref="DeduplicationSettings.Window"/>) whose hashes are close or whose sketches share a band, likeliest first (<see cref="NearDuplicateCandidate.Rank"/>).</summary>
    public IReadOnlyList<NearDuplicateCandidate> Query(Fingerprint fingerprint, DateTimeOffset at, TimeSpan? window = null) =>
        Query(fingerprint.SimHash, fingerprint.LeadHash, fingerprint.Sketch, at, window);

    public IReadOnlyList<NearDuplicateCandidate> Query(ulong simHash, ulong leadHash, UInt128 sketch, DateTimeOffset at, TimeSpan? window = null)
    {
        var found = new List<int>();
        _simHashes.Search(simHash, found);
        _leadHashes.Search(leadHash, found);
        _sketches.Search(sketch, found);
        if (found.Count == 0)
        {
            return [];
        }

        var windowTicks = (window ?? _settings.Window).Ticks;
        var atTicks = at.UtcTicks;
        found.Sort();
        var candidates = new List<NearDuplicateCandidate>();
        for (var i = 0; i < found.Count; i++)
        {
            var slot = found[i];
            if (i > 0 && found[i - 1] == slot)
            {
                continue;
            }

            var item = _slots[slot];
            if (item.Id is null || Math.Abs(item.PublishedTicks - atTicks) > windowTicks)
            {
                continue;
            }

            var simDistance = ulong.PopCount(item.SimHash ^ simHash);
            var leadDistance = ulong.PopCount(item.LeadHash ^ leadHash);
            var sketchMatches = SketchTable.Matches(item.Sketch, sketch);
            if (simDistance <= (ulong)_simHashes.MaxDistance || leadDistance <= (ulong)_leadHashes.MaxDistance || sketchMatches > 0)
            {
                var published = new DateTimeOffset(item.PublishedTicks, TimeSpan.Zero);
                candidates.Add(new NearDuplicateCandidate(item.Id, published, (int)simDistance, (int)leadDistance, sketchMatches));
            }
        }

        candidates.Sort(static (a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : a.SimHashDistance.CompareTo(b.SimHashDistance));
        if (candidates.Count > _settings.MaxCandidates)
        {
            candidates.RemoveRange(_settings.MaxCandidates, candidates.Count - _settings.MaxCandidates);
        }

        return candidates;
    }

    private readonly record struct Slot(ulong SimHash, ulong LeadHash, UInt128 Sketch, long PublishedTicks, string? Id);
}
