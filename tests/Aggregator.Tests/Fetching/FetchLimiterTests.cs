using Aggregator.Configuration;
using Aggregator.Fetching;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Fetching;

public sealed class FetchLimiterTests
{
    [Fact]
    public async Task Acquire_ThirdOnTheSameHost_WaitsForARelease()
    {
        using var limiter = new FetchLimiter(new FetchingSettings { MaxConcurrent = 8, MaxPerHost = 2 });
        var url = new Uri("https://agence.example/rss.xml");
        using var first = await limiter.AcquireAsync(url, TestContext.Current.CancellationToken);
        var second = await limiter.AcquireAsync(url, TestContext.Current.CancellationToken);

        var third = limiter.AcquireAsync(new Uri("https://AGENCE.example/autre.xml"), TestContext.Current.CancellationToken);
        var elsewhere = limiter.AcquireAsync(new Uri("https://autre.example/rss.xml"), TestContext.Current.CancellationToken);

        Assert.False(third.IsCompleted);
        Assert.True(elsewhere.IsCompletedSuccessfully);
        second.Dispose();
        (await third).Dispose();
        (await elsewhere).Dispose();
    }

    [Fact]
    public async Task Acquire_BeyondTheGlobalLimit_WaitsForARelease()
    {
        using var limiter = new FetchLimiter(new FetchingSettings { MaxConcurrent = 2, MaxPerHost = 2 });
        var first = await limiter.AcquireAsync(new Uri("https://a.example/"), TestContext.Current.CancellationToken);
        using var second = await limiter.AcquireAsync(new Uri("https://b.example/"), TestContext.Current.CancellationToken);

        var third = limiter.AcquireAsync(new Uri("https://c.example/"), TestContext.Current.CancellationToken);

        Assert.False(third.IsCompleted);
        first.Dispose();
        (await third).Dispose();
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_GivesBackItsHostSlot()
    {
        using var limiter = new FetchLimiter(new FetchingSettings { MaxConcurrent = 1, MaxPerHost = 1 });
        var busy = await limiter.AcquireAsync(new Uri("https://a.example/"), TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(new Uri("https://b.example/"), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        busy.Dispose();

        using var again = await limiter.AcquireAsync(new Uri("https://b.example/"), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Fetch_SixFeedsOnOneHost_NeverMoreThanTwoRequestsAtOnce()
    {
        var gate = new Lock();
        var running = 0;
        var maxRunning = 0;
        var twoInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FixtureServer.StartAsync(app => app.MapGet("/feed/{n:int}", async (int n) =>
        {
            lock (gate)
            {
                running++;
                maxRunning = Math.Max(maxRunning, running);
                if (running == 2)
                {
                    twoInFlight.TrySetResult();
                }
            }

            // Hold the first requests until two are in flight, so the others pile up at the limiter meanwhile.
            await twoInFlight.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            lock (gate)
            {
                running--;
            }

            return Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml");
        }));
        using var pipeline = new ClockedPipeline(new FetchingSettings { MaxConcurrent = 8, MaxPerHost = 2 });
        var feeds = Enumerable.Range(1, 6).Select(n => Pipeline.Feed($"f{n}", server.Url($"feed/{n}"))).ToList();

        var results = await Task.WhenAll(feeds.Select(f => pipeline.Fetcher.FetchAsync(f, null, TestContext.Current.CancellationToken)));

        Assert.All(results, r => Assert.IsType<FetchResult.Fetched>(r));
        Assert.Equal(2, maxRunning);
    }

    [Fact]
    public async Task FetchPage_SharesTheHostLimitWithFeeds()
    {
        var gate = new Lock();
        var running = 0;
        var maxRunning = 0;
        await using var server = await FixtureServer.StartAsync(app => app.MapGet("/{name}", async (string name) =>
        {
            lock (gate)
            {
                running++;
                maxRunning = Math.Max(maxRunning, running);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300));
            lock (gate)
            {
                running--;
            }

            return Results.Text("<html><body><p>Texte.</p></body></html>", "text/html");
        }));
        using var pipeline = new ClockedPipeline(new FetchingSettings { MaxConcurrent = 8, MaxPerHost = 1 });
        var feed = Pipeline.Feed("pages", server.Url("rss.xml")) with { AllowPrivate = true };

        var results = await Task.WhenAll(Enumerable.Range(1, 3).Select(n => pipeline.Fetcher.FetchPageAsync(feed, server.Url($"page{n}.html"), null, TestContext.Current.CancellationToken)));

        Assert.All(results, r => Assert.IsType<FetchResult.Fetched>(r));
        Assert.Equal(1, maxRunning);
    }
}
