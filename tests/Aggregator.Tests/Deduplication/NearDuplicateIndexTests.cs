using Aggregator.Deduplication;

namespace Aggregator.Tests.Deduplication;

public sealed class NearDuplicateIndexTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 13, 12, 0, 0, TimeSpan.Zero);

    // No band key in common between Sketch and OtherSketch, so that only the SimHash matters unless a test says otherwise.
    private static readonly UInt128 Sketch = new(0x0101_0202_0303_0404, 0x0505_0606_0707_0808);
    private static readonly UInt128 OtherSketch = new(0x1111_2222_3333_4444, 0x5555_6666_7777_8888);

    [Theory]
    [InlineData(3, 0)]
    [InlineData(3, 3)]
    [InlineData(7, 6)]
    [InlineData(7, 7)]
    [InlineData(11, 11)]
    public void Query_SimHashWithinMaxDistance_IsAlwaysFound(int maxDistance, int distance)
    {
        var random = new Random(distance);
        var index = new NearDuplicateIndex(new DeduplicationSettings { MaxSimHashDistance = maxDistance });
        var hashes = Enumerable.Range(0, 500).Select(_ => (ulong)random.NextInt64()).ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            index.Add($"item{i}", hashes[i], Sketch, Sketch, Noon);
        }

        for (var i = 0; i < hashes.Length; i++)
        {
            var candidates = index.Query(Flip(hashes[i], distance, random), OtherSketch, OtherSketch, Noon);

            Assert.Contains(candidates, c => c.Id == $"item{i}" && c.SimHashDistance == distance);
        }
    }

    [Fact]
    public void Query_OneLeadSketchBandInCommon_IsFound()
    {
        var index = new NearDuplicateIndex();
        index.Add("a", 0UL, Sketch, new UInt128(0x1111_2222_3333_4444, 0x5555_6666_7777_8888), Noon);

        var candidates = index.Query(ulong.MaxValue, OtherSketch, new UInt128(0x9999_8888_3333_4444, 0x1234_5678_9ABC_DEF0), Noon);

        Assert.Equal(1, Assert.Single(candidates).LeadSketchMatches);
    }

    [Fact]
    public void Query_OneSketchBandInCommon_IsFound()
    {
        var index = new NearDuplicateIndex();
        index.Add("a", 0UL, new UInt128(0x1111_2222_3333_4444, 0x5555_6666_7777_8888), Sketch, Noon);

        var candidates = index.Query(ulong.MaxValue, new UInt128(0x9999_8888_3333_4444, 0x1234_5678_9ABC_DEF0), OtherSketch, Noon);

        Assert.Equal(1, Assert.Single(candidates).SketchMatches);
    }

    [Fact]
    public void Query_ByDefault_ProposesNoTextBeyondThreeBitsWithoutASharedBand()
    {
        var index = new NearDuplicateIndex();
        index.Add("three", 0b111UL, Sketch, Sketch, Noon);
        index.Add("four", 0b1111UL, Sketch, Sketch, Noon);

        var candidates = index.Query(0UL, OtherSketch, OtherSketch, Noon);

        Assert.Equal(["three"], candidates.Select(c => c.Id));
    }

    [Fact]
    public void Query_FarOnEveryHash_FindsNothing()
    {
        var index = new NearDuplicateIndex();
        index.Add("a", 0UL, Sketch, Sketch, Noon);

        var candidates = index.Query(0x00FF_00FF_00FF_00FFUL, OtherSketch, OtherSketch, Noon);

        Assert.Empty(candidates);
    }

    [Fact]
    public void Query_OutsideDefaultWindow_FindsNothing()
    {
        var index = new NearDuplicateIndex();
        index.Add("a", 42UL, Sketch, Sketch, Noon);

        Assert.Single(index.Query(42UL, Sketch, Sketch, Noon.AddHours(71)));
        Assert.Single(index.Query(42UL, Sketch, Sketch, Noon.AddHours(-71)));
        Assert.Empty(index.Query(42UL, Sketch, Sketch, Noon.AddHours(73)));
    }

    [Fact]
    public void Query_WithWindow_UsesIt()
    {
        var index = new NearDuplicateIndex();
        index.Add("a", 42UL, Sketch, Sketch, Noon);

        Assert.Empty(index.Query(42UL, Sketch, Sketch, Noon.AddHours(2), TimeSpan.FromHours(1)));
        Assert.Single(index.Query(42UL, Sketch, Sketch, Noon.AddDays(9), TimeSpan.FromDays(10)));
    }

    [Fact]
    public void Query_SeveralCandidates_ClosestFirst()
    {
        var index = new NearDuplicateIndex(new DeduplicationSettings { MaxSimHashDistance = 7 });
        index.Add("far", 0b111_1111UL, Sketch, Sketch, Noon);
        index.Add("exact", 0UL, Sketch, Sketch, Noon);
        index.Add("near", 0b11UL, Sketch, Sketch, Noon);

        var candidates = index.Query(0UL, OtherSketch, OtherSketch, Noon);

        Assert.Equal(["exact", "near", "far"], candidates.Select(c => c.Id));
    }

    [Fact]
    public void Remove_IndexedItem_IsNoLongerFound()
    {
        var index = new NearDuplicateIndex();
        index.Add("a", 42UL, Sketch, Sketch, Noon);
        index.Add("b", 43UL, Sketch, Sketch, Noon);

        var removed = index.Remove("a");

        Assert.True(removed);
        Assert.Equal("b", Assert.Single(index.Query(42UL, Sketch, Sketch, Noon)).Id);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Remove_UnknownId_ReturnsFalse() => Assert.False(new NearDuplicateIndex().Remove("nope"));

    [Fact]
    public void Add_SameIdTwice_KeepsOnlyTheLast()
    {
        var index = new NearDuplicateIndex();
        index.Add("a", 0UL, Sketch, Sketch, Noon);

        index.Add("a", ulong.MaxValue, OtherSketch, OtherSketch, Noon);

        Assert.Equal(1, index.Count);
        Assert.Empty(index.Query(0UL, Sketch, Sketch, Noon));
        Assert.Single(index.Query(ulong.MaxValue, OtherSketch, OtherSketch, Noon));
    }

    [Fact]
    public void Add_AfterRemovals_ReusesSlotsAndFindsEveryItem()
    {
        var index = new NearDuplicateIndex();
        var random = new Random(7);
        var hashes = Enumerable.Range(0, 3000).Select(_ => (ulong)random.NextInt64()).ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            index.Add($"item{i}", hashes[i], hashes[i], 0, Noon);
        }

        for (var i = 0; i < hashes.Length; i += 2)
        {
            index.Remove($"item{i}");
        }

        for (var i = 0; i < hashes.Length; i += 2)
        {
            index.Add($"new{i}", hashes[i], hashes[i], 0, Noon);
        }

        Assert.Equal(3000, index.Count);
        Assert.Contains(index.Query(hashes[10], hashes[10], 0, Noon), c => c.Id == "new10");
        Assert.Contains(index.Query(hashes[11], hashes[11], 0, Noon), c => c.Id == "item11");
        Assert.DoesNotContain(index.Query(hashes[10], hashes[10], 0, Noon), c => c.Id == "item10");
    }

    [Fact]
    public void Query_ThousandsProposed_KeepsTheLikeliestInRankOrderTiesToTheEarlierSlot()
    {
        var index = new NearDuplicateIndex();
        var random = new Random(11);
        var query = (ulong)random.NextInt64();
        var added = new List<(string Id, int Rank, int Distance, int Slot)>();
        for (var i = 0; i < 3000; i++)
        {
            // Within the SimHash distance, some sharing one or two sketch bands with the query: many equal ranks.
            var hash = Flip(query, random.Next(index.MaxSimHashDistance + 1), random);
            var shared = random.Next(3);
            var sketch = new UInt128(
                (shared >= 2 ? 0x0101_0202_0000_0000UL : 0xAAAA_0000_0000_0000UL) + (ulong)i,
                (shared >= 1 ? 0x0505_0606_0000_0000UL : 0x5555_0000_0000_0000UL) + (ulong)i);
            index.Add($"item{i}", hash, sketch, OtherSketch, Noon);
            var distance = (int)ulong.PopCount(hash ^ query);
            added.Add(($"item{i}", distance - (4 * SketchTable.Matches(sketch, Sketch)), distance, i));
        }

        var candidates = index.Query(query, Sketch, new UInt128(1, 1), Noon);

        var expected = added.OrderBy(a => a.Rank).ThenBy(a => a.Distance).ThenBy(a => a.Slot).Take(new DeduplicationSettings().MaxCandidates).Select(a => a.Id);
        Assert.Equal(expected, candidates.Select(c => c.Id));
    }

    [Fact]
    public void Add_AWindowOfAFewThousandItems_KeepsTablesOfItsOwnSize()
    {
        var index = new NearDuplicateIndex();
        var random = new Random(3);

        for (var i = 0; i < NearDuplicateIndex.ItemsPerBucket << NearDuplicateIndex.FirstBucketBits; i++)
        {
            index.Add($"item{i}", (ulong)random.NextInt64(), Sketch, Sketch, Noon);
        }

        Assert.Equal(NearDuplicateIndex.FirstBucketBits, index.BucketBits);
    }

    [Fact]
    public void Add_TensOfThousandsOfItems_GrowsTheTablesAndStillFindsEveryItemWithinMaxDistanceOrABand()
    {
        var index = new NearDuplicateIndex();
        var random = new Random(5);
        var hashes = Enumerable.Range(0, 20_000).Select(_ => (ulong)random.NextInt64()).ToArray();
        var sketches = hashes.Select(h => new UInt128(h * 31, (ulong)random.NextInt64())).ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            index.Add($"item{i}", hashes[i], sketches[i], 0, Noon.AddSeconds(i));
        }

        // 20,000 items at two a bucket: 2^14 buckets a band, grown four times from 2^10.
        Assert.Equal(14, index.BucketBits);
        for (var i = 0; i < hashes.Length; i += 97)
        {
            var near = index.Query(Flip(hashes[i], index.MaxSimHashDistance, random), OtherSketch, OtherSketch, Noon);
            var sharingABand = index.Query(~hashes[i], new UInt128(0x9999_8888_7777_6666, (ulong)sketches[i]), OtherSketch, Noon);

            Assert.Contains(near, c => c.Id == $"item{i}" && c.SimHashDistance == index.MaxSimHashDistance);
            Assert.Contains(sharingABand, c => c.Id == $"item{i}" && c.SketchMatches >= 1);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public void Search_BucketsPickedByFewerBitsOfABand_FindsEveryHashWithinMaxDistance(int bucketBits)
    {
        var random = new Random(bucketBits);
        var table = new BandTable(maxDistance: 7, bucketBits);
        var hashes = Enumerable.Range(0, 2000).Select(_ => (ulong)random.NextInt64()).ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            table.Add(hashes[i], i);
        }

        for (var i = 0; i < hashes.Length; i += 7)
        {
            var found = new List<int>();
            table.Search(Flip(hashes[i], 7, random), found);

            Assert.Contains(i, found);
        }
    }

    private static ulong Flip(ulong hash, int bits, Random random)
    {
        var flipped = hash;
        while (ulong.PopCount(flipped ^ hash) < (ulong)bits)
        {
            flipped ^= 1UL << random.Next(64);
        }

        return flipped;
    }
}
