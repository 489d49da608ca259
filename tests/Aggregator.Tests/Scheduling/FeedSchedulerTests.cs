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

namespace Aggregator.Tests.Scheduling;

/// <summary>The real Quartz scheduler driving the real pipeline.</summary>
public sealed class FeedSchedulerTests : IAsyncLifetime
{
    private readonly TempDirectory data = new();
    private readonly Lock gate = new();
    private FixtureServer server = null!;
    private int running;
    private int maxRunning;
    private int requests;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/slow.xml", async () =>
            {
                lock (gate)
                {
                    running++;
                    requests++;
                    maxRunning = Math.Max(maxRunning, running);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(1500));
                lock (gate)
                {
                    running--;
                }

                return Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml");
            });
            app.MapGet("/atom.xml", () => Results.Bytes(TestData.Bytes("Feeds/atom-xmlbase.xml"), "application/atom+xml"));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task Scheduler_FeedSlowerThanItsInterval_NeverRunsTwiceAtOnce()
    {
        var slow = Pipeline.Feed("slow", server.Url("slow.xml")) with { Interval = TimeSpan.FromMilliseconds(300) };
        var other = Pipeline.Feed("atom", server.Url("atom.xml")) with { Interval = TimeSpan.FromSeconds(30) };
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), [slow, other]), "feeds.json");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAggregatorCore(config, store).AddFeedScheduling(config.Current);
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, maxRunning);
        Assert.InRange(requests, 2, 4);
        Assert.Equal(3, store.CountItems("slow"));
        Assert.Equal(2, store.CountItems("atom"));
    }
}
