using Aggregator.Configuration;
using Aggregator.Hosting;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Aggregator.Tests.Scheduling;

/// <summary>FeedScheduler.ApplyAsync on the real Quartz scheduler: only the feeds that changed are touched.</summary>
public sealed class FeedSchedulerApplyTests : IAsyncLifetime
{
    private readonly TempDirectory data = new();
    private FixtureServer server = null!;
    private ItemStore store = null!;
    private IHost? host;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/a.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml"));
            app.MapGet("/b.xml", () => Results.Bytes(TestData.Bytes("Feeds/atom-xmlbase.xml"), "application/atom+xml"));
            app.MapGet("/c.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss1-rdf.xml"), "application/rdf+xml"));
        });
        store = ItemStore.Open(data.Path, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        store.Dispose();
        await server.DisposeAsync();
        data.Dispose();
    }

    private FeedConfig Feed(string id, TimeSpan interval) => Pipeline.Feed(id, server.Url($"{id}.xml")) with { Interval = interval };

    private static AggregatorConfig Config(params FeedConfig[] feeds) => new(new FeedDefaults(), new OutputSettings(), feeds);

    /// <summary>Starts the real scheduler on <paramref name="initial"/> and waits until each of its feeds has run once.</summary>
    private async Task<(ActiveConfig Config, FeedScheduler Scheduler, IScheduler Quartz)> StartAsync(AggregatorConfig initial)
    {
        var config = new ActiveConfig(initial, "feeds.json");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAggregatorCore(config, store).AddFeedScheduling(config.Current);
        host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var quartz = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        foreach (var feed in initial.EnabledFeeds)
        {
            await Eventually.HoldsAsync(() => store.GetState(feed.Id).LastAttempt is not null, $"{feed.Id} never ran");
        }

        return (config, host.Services.GetRequiredService<FeedScheduler>(), quartz);
    }

    private static async Task<ScheduleChanges> ApplyAsync(ActiveConfig config, FeedScheduler scheduler, AggregatorConfig next)
    {
        var previous = config.Current;
        config.Current = next;
        return await scheduler.ApplyAsync(previous, next, TestContext.Current.CancellationToken);
    }

    private static Task<ITrigger?> TriggerAsync(IScheduler quartz, string id) =>
        quartz.GetTrigger(new TriggerKey(id, FeedRefreshJob.Group), TestContext.Current.CancellationToken).AsTask();

    [Fact]
    public async Task Apply_AddedFeed_IsFetchedAtOnce()
    {
        var a = Feed("a", TimeSpan.FromHours(1));
        var (config, scheduler, _) = await StartAsync(Config(a));

        var changes = await ApplyAsync(config, scheduler, Config(a, Feed("c", TimeSpan.FromHours(1))));

        Assert.Equal(["c"], changes.Added);
        await Eventually.HoldsAsync(() => store.CountItems("c") > 0, "the added feed was never fetched");
    }

    [Fact]
    public async Task Apply_UnchangedFeed_KeepsItsTriggerAndIsNotFetchedAgain()
    {
        var a = Feed("a", TimeSpan.FromHours(1)) with { Clean = new CleanRules("//article", ["//aside"]) };
        var (config, scheduler, quartz) = await StartAsync(Config(a));
        var before = await TriggerAsync(quartz, "a");

        // The same settings as a new load of the file would give them: equal values in new instances.
        var reloaded = a with { Clean = new CleanRules("//article", ["//aside"]) };
        var changes = await ApplyAsync(config, scheduler, Config(reloaded, Feed("c", TimeSpan.FromHours(1))));
        await Eventually.HoldsAsync(() => server.HitsOf("/c.xml") > 0, "the added feed was never fetched");

        Assert.DoesNotContain("a", changes.Added.Concat(changes.Rescheduled).Concat(changes.Changed));
        Assert.Equal(before!.NextFireTimeUtc, (await TriggerAsync(quartz, "a"))!.NextFireTimeUtc);
        Assert.Equal(1, server.HitsOf("/a.xml"));
    }

    [Fact]
    public async Task Apply_RemovedFeed_IsUnscheduledAndItsItemsStay()
    {
        var (config, scheduler, quartz) = await StartAsync(Config(Feed("a", TimeSpan.FromMilliseconds(500)), Feed("b", TimeSpan.FromMilliseconds(500))));

        var changes = await ApplyAsync(config, scheduler, Config(Feed("b", TimeSpan.FromMilliseconds(500))));
        // A run already under way when the job was deleted may still finish: count after b has run again.
        var bHits = server.HitsOf("/b.xml");
        await Eventually.HoldsAsync(() => server.HitsOf("/b.xml") > bHits, "b stopped running");
        var aHits = server.HitsOf("/a.xml");
        bHits = server.HitsOf("/b.xml");
        await Eventually.HoldsAsync(() => server.HitsOf("/b.xml") >= bHits + 3, "b stopped running");

        Assert.Equal(["a"], changes.Removed);
        Assert.Null(await TriggerAsync(quartz, "a"));
        Assert.Equal(aHits, server.HitsOf("/a.xml"));
        Assert.Equal(3, store.CountItems("a"));
    }

    [Fact]
    public async Task Apply_DisabledFeed_IsUnscheduled()
    {
        var a = Feed("a", TimeSpan.FromHours(1));
        var (config, scheduler, quartz) = await StartAsync(Config(a, Feed("b", TimeSpan.FromHours(1))));

        var changes = await ApplyAsync(config, scheduler, Config(a with { Enabled = false }, Feed("b", TimeSpan.FromHours(1))));

        Assert.Equal(["a"], changes.Removed);
        Assert.Null(await TriggerAsync(quartz, "a"));
        Assert.NotNull(await TriggerAsync(quartz, "b"));
    }

    [Fact]
    public async Task Apply_ReenabledFeed_IsFetchedAtOnce()
    {
        var a = Feed("a", TimeSpan.FromHours(1));
        var (config, scheduler, _) = await StartAsync(Config(a, Feed("b", TimeSpan.FromHours(1)) with { Enabled = false }));

        var changes = await ApplyAsync(config, scheduler, Config(a, Feed("b", TimeSpan.FromHours(1))));

        Assert.Equal(["b"], changes.Added);
        await Eventually.HoldsAsync(() => server.HitsOf("/b.xml") > 0, "the re-enabled feed was never fetched");
    }

    [Fact]
    public async Task Apply_IntervalChanged_NextRunIsLastRunPlusNewInterval()
    {
        var a = Feed("a", TimeSpan.FromHours(1));
        var (config, scheduler, quartz) = await StartAsync(Config(a));
        var before = await TriggerAsync(quartz, "a");

        var changes = await ApplyAsync(config, scheduler, Config(a with { Interval = TimeSpan.FromHours(3) }));

        var after = await TriggerAsync(quartz, "a");
        Assert.Equal(["a"], changes.Rescheduled);
        Assert.Equal(before!.PreviousFireTimeUtc + TimeSpan.FromHours(3), after!.NextFireTimeUtc);
        Assert.Equal(1, server.HitsOf("/a.xml"));
    }

    [Fact]
    public void NextInRhythm_IntervalShortenedBelowTimeSinceLastRun_IsTheFirstStepStillAhead()
    {
        var lastRun = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

        var next = FeedScheduler.NextInRhythm(lastRun, lastRun.AddHours(1), TimeSpan.FromMinutes(15), lastRun.AddMinutes(50));

        Assert.Equal(lastRun.AddHours(1), next);
    }

    [Fact]
    public void NextInRhythm_FeedThatHasNotRunYet_KeepsItsPendingFirstRun()
    {
        var pending = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

        var next = FeedScheduler.NextInRhythm(null, pending, TimeSpan.FromHours(2), pending.AddSeconds(1));

        Assert.Equal(pending, next);
    }

    [Fact]
    public async Task Apply_UrlChanged_TakesEffectAtTheNextRunWithoutRescheduling()
    {
        var a = Feed("a", TimeSpan.FromHours(1));
        var (config, scheduler, quartz) = await StartAsync(Config(a));
        var before = await TriggerAsync(quartz, "a");

        var changes = await ApplyAsync(config, scheduler, Config(a with { Url = server.Url("c.xml") }));

        Assert.Equal(["a"], changes.Changed);
        Assert.Empty(changes.Rescheduled);
        Assert.Equal(before!.NextFireTimeUtc, (await TriggerAsync(quartz, "a"))!.NextFireTimeUtc);
        Assert.Equal(0, server.HitsOf("/c.xml"));
    }
}
