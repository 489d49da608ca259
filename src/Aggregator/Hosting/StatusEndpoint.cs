using System.Text.Json;
using Aggregator.Configuration;
using Aggregator.Scheduling;
using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>The configuration in force as /status reports it.</summary>
internal sealed record ConfigurationStatus(string Path, DateTimeOffset? LoadedAt, string? Hash, int Feeds, int EnabledFeeds, RefusedEdit? LastRefusedEdit);

/// <summary>One feed as /status reports it: its settings, its schedule, its items, and its stored state as is.</summary>
/// <param name="State">Serialised whole, so fields added to <see cref="FeedState"/> appear without a change here.</param>
internal sealed record FeedStatus(
    string Id,
    string Name,
    Uri Url,
    bool Enabled,
    TimeSpan Interval,
    DateTimeOffset? NextRun,
    int ItemsStored,
    DateTime? LastNewItem,
    FeedState State);

/// <summary>What GET /status answers and <c>Aggregator status</c> prints.</summary>
/// <param name="Source">"service" when the running service answered, "store" when read from the data folder.</param>
internal sealed record StatusReport(string Source, DateTimeOffset GeneratedAt, ConfigurationStatus Configuration, IReadOnlyList<FeedStatus> Feeds)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="nextRuns">Each scheduled feed's next run; empty when no scheduler runs.</param>
    public static StatusReport Build(string source, ActiveConfig config, ItemStore store, IReadOnlyDictionary<string, DateTimeOffset?> nextRuns, DateTimeOffset now)
    {
        var current = config.Current;
        var feeds = current.Feeds
            .Select(f => new FeedStatus(
                f.Id,
                f.Name,
                f.Url,
                f.Enabled,
                f.Interval,
                f.Enabled ? nextRuns.GetValueOrDefault(f.Id) : null,
                store.CountItems(f.Id),
                store.LastNewItem(f.Id),
                store.GetState(f.Id)))
            .ToList();
        var configuration = new ConfigurationStatus(config.Path, config.LoadedAt, config.Hash, current.Feeds.Count, current.EnabledFeeds.Count(), config.LastRefused);
        return new StatusReport(source, now, configuration, feeds);
    }
}

/// <summary>GET /status: the configuration in force, the last refused edit, and every feed's schedule and outcome.</summary>
internal static class StatusEndpoint
{
    public static void MapStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/status", async (ActiveConfig config, ItemStore store, FeedScheduler scheduler, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var nextRuns = await scheduler.NextRunsAsync(cancellationToken);
            var report = StatusReport.Build("service", config, store, nextRuns, time.GetUtcNow());
            return Results.Json(report, StatusReport.JsonOptions);
        });
}
