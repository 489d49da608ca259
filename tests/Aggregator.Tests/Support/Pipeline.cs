using Aggregator.Cleaning;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Fetching;
using Aggregator.Hosting;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aggregator.Tests.Support;

/// <summary>The real pipeline over a temporary data folder: fetcher, cleaner, store, exporter.</summary>
internal sealed class Pipeline : IDisposable
{
    private readonly ServiceProvider services;
    private readonly TempDirectory? data;

    public Pipeline(params FeedConfig[] feeds)
        : this(null, feeds)
    {
    }

    /// <summary>Over a data folder the caller owns (kept on dispose), to reopen the same store.</summary>
    public Pipeline(string? dataPath, params FeedConfig[] feeds)
        : this(dataPath, _ => { }, feeds)
    {
    }

    private Pipeline(string? dataPath, Action<IServiceCollection> configure, FeedConfig[] feeds)
    {
        data = dataPath is null ? new TempDirectory() : null;
        Config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings { Title = "Dépêches de test" }, feeds), "feeds.json");
        Store = ItemStore.Open(dataPath ?? data!.Path, TimeProvider.System);
        var collection = new ServiceCollection().AddLogging().AddAggregatorCore(Config, Store);
        configure(collection);
        services = collection.BuildServiceProvider();
    }

    public ActiveConfig Config { get; }

    public ItemStore Store { get; }

    public FeedFetcher Fetcher => services.GetRequiredService<FeedFetcher>();

    public FeedRefresher Refresher => services.GetRequiredService<FeedRefresher>();

    public FeedExporter Exporter => services.GetRequiredService<FeedExporter>();

    public WorkLimiter Work => services.GetRequiredService<WorkLimiter>();

    /// <summary>A pipeline whose refreshes parse and clean <paramref name="slots"/> at a time (see <see cref="WorkLimiter"/>).</summary>
    public static Pipeline WithWorkSlots(int slots) => new(null, collection => collection.AddSingleton(_ => new WorkLimiter(slots)), []);

    public static FeedConfig Feed(string id, Uri url, TimeSpan? timeout = null, long? maxBytes = null) => new()
    {
        Id = id,
        Url = url,
        Name = id.ToUpperInvariant(),
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        MaxBytes = maxBytes ?? 10 * 1024 * 1024,
    };

    public Task<RefreshOutcome> RefreshAsync(FeedConfig feed) => Refresher.RefreshAsync(feed, CancellationToken.None);

    public void Dispose()
    {
        services.Dispose();
        Store.Dispose();
        data?.Dispose();
    }
}
