using Aggregator.Storage;

namespace Aggregator.Tests.Storage;

public sealed class IdentityIndexTests
{
    [Fact]
    public void TryGet_AddedId_ReturnsItsContentDigest()
    {
        var index = new IdentityIndex();
        var id = ItemIdentity.StableId("feed", "id:1");

        index.Add(id, 42);

        Assert.True(index.TryGet(id, out var content));
        Assert.Equal(42UL, content);
    }

    [Fact]
    public void Contains_IdNeverAdded_IsFalse()
    {
        var index = new IdentityIndex();
        index.Add(ItemIdentity.StableId("feed", "id:1"));

        Assert.False(index.Contains(ItemIdentity.StableId("feed", "id:2")));
    }

    [Fact]
    public void Add_ManyIds_KeepsEveryOneThroughGrowth()
    {
        var index = new IdentityIndex();
        var ids = Enumerable.Range(0, 10_000).Select(i => ItemIdentity.StableId("feed", $"id:{i}")).ToList();

        foreach (var id in ids)
        {
            index.Add(id, 7);
        }

        Assert.Equal(ids.Count, index.Count);
        Assert.All(ids, id => Assert.True(index.Contains(id)));
        Assert.False(index.Contains(ItemIdentity.StableId("feed", "id:10000")));
    }

    [Fact]
    public void Add_SameIdAgain_ReplacesTheDigestWithoutCountingTwice()
    {
        var index = new IdentityIndex();
        var id = ItemIdentity.StableId("feed", "id:1");

        index.Add(id, 1);
        index.Add(id, 2);

        Assert.Equal(1, index.Count);
        Assert.True(index.TryGet(id, out var content));
        Assert.Equal(2UL, content);
    }

    [Fact]
    public void Add_AMillionIds_KeepsThemInSixteenBytesASlotAtMostThreeQuartersFull()
    {
        var index = new IdentityIndex();
        var random = new Random(3);
        var ids = Enumerable.Range(0, 1_000_000).Select(_ => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()))).ToList();

        foreach (var id in ids)
        {
            index.Add(id, 5);
        }

        Assert.Equal(ids.Count, index.Count);
        Assert.InRange(index.MemoryBytes, ids.Count * 16L * 4 / 3, ids.Count * 16L * 2);
        Assert.All(ids, id => Assert.True(index.TryGet(id, out var content) && content == IdentityIndex.Fold(5)));
    }

    [Fact]
    public void TryGet_ADigestWhoseHalvesCancel_IsNotTakenForAPurgedItem()
    {
        var index = new IdentityIndex();
        var id = ItemIdentity.StableId("feed", "id:1");
        const ulong HalvesCancel = 0x0000_0001_0000_0001UL;

        index.Add(id, HalvesCancel);

        Assert.True(index.TryGet(id, out var content));
        Assert.NotEqual(IdentityIndex.UnknownContent, content);
        Assert.Equal(IdentityIndex.Fold(HalvesCancel), content);
        Assert.NotEqual(IdentityIndex.Fold(HalvesCancel), IdentityIndex.Fold(HalvesCancel + 1));
    }

    [Fact]
    public void Add_TheLowestIdsFirst_AsTheStoreReadsThem_StaySpreadOverTheTable()
    {
        // The store is read in id order: at every point of a load the index holds the lowest ids of all.
        var index = new IdentityIndex();
        var random = new Random(4);
        var ids = Enumerable.Range(0, 200_000).Select(_ => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()))).Order(StringComparer.Ordinal).ToList();

        foreach (var id in ids.Take(3000))
        {
            index.Add(id, 5);
        }

        Assert.Equal(3000, index.Count);
        Assert.InRange(index.LongestRun, 1, 200);
    }
}
