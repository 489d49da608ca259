using Aggregator.Configuration;
using Aggregator.Hosting;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Aggregator.Tests.Scheduling;

public sealed class SchedulingServicesTests
{
    [Theory]
    [InlineData(12, 3, 3)]
    [InlineData(2, 8, 8)]
    public async Task AddFeedScheduling_ThreadPool_IsSizedToMaxConcurrent(int feeds, int maxConcurrent, int expected)
    {
        using var data = new TempDirectory();
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var list = Enumerable.Range(1, feeds).Select(n => Pipeline.Feed($"f{n}", new Uri($"https://agence{n}.example/rss.xml"))).ToList();
        var config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), list) { Fetching = new FetchingSettings { MaxConcurrent = maxConcurrent, MaxPerHost = 1 } }, "feeds.json");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAggregatorCore(config, store).AddFeedScheduling(config.Current);
        using var host = builder.Build();

        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        var metadata = await scheduler.GetMetadata(TestContext.Current.CancellationToken);

        Assert.Equal(expected, metadata.ThreadPoolSize);
    }
}
