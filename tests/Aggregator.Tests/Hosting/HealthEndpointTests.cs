using System.Net;
using Aggregator.Configuration;
using Aggregator.Hosting;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Aggregator.Tests.Hosting;

/// <summary>/health/live and /health/ready: the real service as a process, and an in-process host whose scheduler is stood down.</summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private WebApplication? app;
    private ItemStore? store;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        store?.Dispose();
        http.Dispose();
        folder.Dispose();
    }

    /// <summary>The health endpoints over the real store and scheduler, in this process, with no feeds.</summary>
    private async Task<(Uri Base, IScheduler Scheduler)> StartInProcessAsync()
    {
        store = ItemStore.Open(folder.File("data"), TimeProvider.System);
        var config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), []), folder.File("feeds.json"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAggregatorCore(config, store).AddFeedScheduling(config.Current);
        app = builder.Build();
        app.MapHealth();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        // Quartz's hosted service starts the scheduler once the application has started, not before StartAsync returns.
        await Eventually.HoldsAsync(() => scheduler.Status == SchedulerStatus.Running, "the scheduler never started");
        return (new Uri(app.Urls.First().TrimEnd('/') + "/"), scheduler);
    }

    [Fact]
    public async Task LiveAndReady_ServiceRunning_Answer200()
    {
        using var service = RunningService.Start(folder, RunningService.Feeds());
        await service.WaitForStatusAsync(_ => true, "the service never answered");

        using var live = await http.GetAsync(new Uri(service.BaseUri, "health/live"), TestContext.Current.CancellationToken);
        using var ready = await http.GetAsync(new Uri(service.BaseUri, "health/ready"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"status\":\"ready\"", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_SchedulerStoodDown_Is503WithTheReason()
    {
        var (baseUri, scheduler) = await StartInProcessAsync();

        await scheduler.Standby(TestContext.Current.CancellationToken);
        using var ready = await http.GetAsync(new Uri(baseUri, "health/ready"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("the scheduler is standby, not running", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_SchedulerStoodDown_Is200()
    {
        var (baseUri, scheduler) = await StartInProcessAsync();

        await scheduler.Standby(TestContext.Current.CancellationToken);
        using var live = await http.GetAsync(new Uri(baseUri, "health/live"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Ready_StoreClosed_Is503WithTheReason()
    {
        var (baseUri, _) = await StartInProcessAsync();

        store!.Dispose();
        using var ready = await http.GetAsync(new Uri(baseUri, "health/ready"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("the store is not open", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
