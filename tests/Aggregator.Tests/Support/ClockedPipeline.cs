using Aggregator.Configuration;
using Aggregator.Fetching;
using Aggregator.Hosting;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests.Support;

/// <summary>The real pipeline on a hand-moved clock, with chosen fetching limits and seeded jitter.</summary>
internal sealed class ClockedPipeline : IDisposable
{
    private readonly ServiceProvider services;
    private readonly TempDirectory data = new();

    public ClockedPipeline(FetchingSettings? fetching = null, int seed = 7)
    {
        Config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), []) { Fetching = fetching ?? new FetchingSettings() }, "feeds.json");
        Store = ItemStore.Open(data.Path, Clock);
        services = new ServiceCollection()
            .AddLogging()
            .AddAggregatorCore(Config, Store)
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton(new FetchPolicy(new Random(seed)))
            .BuildServiceProvider();
    }

    public ManualTimeProvider Clock { get; } = new();

    public ActiveConfig Config { get; }

    public ItemStore Store { get; }

    public FeedFetcher Fetcher => services.GetRequiredService<FeedFetcher>();

    public FeedRefresher Refresher => services.GetRequiredService<FeedRefresher>();

    /// <summary>As the Quartz job does it: null when the feed's state says not yet.</summary>
    public Task<RefreshOutcome?> TickAsync(FeedConfig feed) => Refresher.RefreshIfDueAsync(feed, CancellationToken.None);

    /// <summary>As the fetch command does it.</summary>
    public Task<RefreshOutcome> FetchAsync(FeedConfig feed) => Refresher.RefreshAsync(feed, CancellationToken.None);

    public FeedState State(string feedId) => Store.GetState(feedId);

    public void Dispose()
    {
        services.Dispose();
        Store.Dispose();
        data.Dispose();
    }
}
