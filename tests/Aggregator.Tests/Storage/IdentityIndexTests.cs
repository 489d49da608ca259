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
}
