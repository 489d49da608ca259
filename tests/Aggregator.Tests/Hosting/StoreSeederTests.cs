using Aggregator.Configuration;
using Aggregator.Hosting;
using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Hosting;

/// <summary>The seed command's stories: the count asked for, some told by several outlets, the same on every run.</summary>
public sealed class StoreSeederTests : IDisposable
{
    private readonly TempDirectory data = new();
    private readonly ItemStore store;
    private readonly AggregatorConfig config = new(
        new FeedDefaults(),
        new OutputSettings(),
        [.. Enumerable.Range(1, 4).Select(i => Pipeline.Feed($"agence{i}", new Uri($"https://agence{i}.example/rss")))]);

    public StoreSeederTests() => store = ItemStore.Open(data.Path, TimeProvider.System);

    [Fact]
    public void Seed_HundredStories_StoresHundredStoriesSomeWithSeveralOutlets()
    {
        new StoreSeeder(store, config, TimeProvider.System).Seed(100);

        var stories = store.LatestStories(1000);
        Assert.Equal(100, stories.Count);
        Assert.Contains(stories, s => s.ItemIds.Count == 3);
        Assert.All(stories, s => Assert.Equal(s.ItemIds.Count, s.ItemIds.Select(id => store.Find(id)!.FeedId).Distinct().Count()));
    }

    [Fact]
    public void Seed_Twice_AddsNothingTheSecondTime()
    {
        var seeder = new StoreSeeder(store, config, TimeProvider.System);
        seeder.Seed(20);

        var added = seeder.Seed(20);

        Assert.Equal(0, added);
    }

    public void Dispose()
    {
        store.Dispose();
        data.Dispose();
    }
}
