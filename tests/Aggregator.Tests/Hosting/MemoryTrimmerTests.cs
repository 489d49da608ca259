using Aggregator.Hosting;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Hosting;

/// <summary>The real service, quiet after fetching an outlet of 200 synthetic dispatches: what it gives back to the system.</summary>
public sealed class MemoryTrimmerTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private FixtureServer server = null!;
    private AggregatorProcess? process;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var feed = SyntheticFeeds.Render(seed: 7, feed: 1, generation: 0, itemsPerFeed: 200, DateTime.UtcNow);
        server = await FixtureServer.StartAsync(app => app.MapGet("/agence.xml", () => Results.Bytes(feed, "application/rss+xml")));
    }

    public async ValueTask DisposeAsync()
    {
        process?.Dispose();
        http.Dispose();
        await server.DisposeAsync();
        folder.Dispose();
    }

    private Uri Serve(string quietSeconds)
    {
        File.WriteAllText(folder.File("feeds.json"), $$"""{ "feeds": [ { "id": "agence", "url": "{{server.Url("agence.xml")}}" } ] }""");
        var baseUri = new Uri($"http://127.0.0.1:{AggregatorProcess.FreePort()}/");
        process = AggregatorProcess.Start(
            folder.Path,
            new Dictionary<string, string> { ["MemoryTrim__QuietSeconds"] = quietSeconds },
            "serve", "--urls", baseUri.AbsoluteUri.TrimEnd('/'));
        return baseUri;
    }

    private async Task<PrometheusText?> ScrapeAsync(Uri baseUri)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(baseUri, "metrics"), Cancel);
            return response.IsSuccessStatusCode ? new PrometheusText(await response.Content.ReadAsStringAsync(Cancel)) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// Scrapes every <paramref name="every"/> until the condition holds. A scrape allocates: scraped back to back, the
    /// service is never quiet, so the trim tests leave it seconds apart, as Prometheus does.
    /// </summary>
    private async Task<PrometheusText> ScrapeUntilAsync(Uri baseUri, TimeSpan every, Func<PrometheusText, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Eventually.Deadline;
        while (true)
        {
            if (await ScrapeAsync(baseUri) is { } metrics && condition(metrics))
            {
                return metrics;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}. Output:\n{process?.Output}\nErrors:\n{process?.Errors}");
            }

            await Task.Delay(every, Cancel);
        }
    }

    [Fact]
    public async Task Serve_QuietAfterAFetch_GivesTheCollectorsSpareMemoryBack()
    {
        var baseUri = Serve("1");

        var fetched = await ScrapeUntilAsync(baseUri, TimeSpan.FromMilliseconds(200), m => m.Sum("aggregator_items_new_total") == 200, "the fetch was never counted");
        var trimsBefore = fetched.Sum("aggregator_memory_trims_total");

        var metrics = await ScrapeUntilAsync(
            baseUri,
            TimeSpan.FromSeconds(3),
            m => m.Sum("aggregator_memory_trims_total") > trimsBefore,
            "no trim once quiet after the fetch");

        Assert.True(metrics.Sum("aggregator_memory_returned_bytes_total") > 0);
    }

    [Fact]
    public async Task Serve_QuietSecondsZero_NeverTrims()
    {
        var baseUri = Serve("0");
        await ScrapeUntilAsync(baseUri, TimeSpan.FromMilliseconds(200), m => m.Sum("aggregator_items_new_total") == 200, "the fetch was never counted");

        // Longer than the default quiet period and its next tick: 0 taken for the default would have trimmed by then.
        await Task.Delay(TimeSpan.FromSeconds(12), Cancel);
        var metrics = await ScrapeAsync(baseUri);

        Assert.NotNull(metrics);
        Assert.Equal(0, metrics.Sum("aggregator_memory_trims_total"));
        Assert.False(process!.HasExited);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("3601")]
    [InlineData("5s")]
    public async Task Serve_QuietSecondsNotASecondCountInRange_RefusesToStartWithExit2(string quietSeconds)
    {
        File.WriteAllText(folder.File("feeds.json"), """{ "feeds": [] }""");
        using var run = AggregatorProcess.Start(
            folder.Path,
            new Dictionary<string, string> { ["MemoryTrim__QuietSeconds"] = quietSeconds },
            "serve", "--urls", $"http://127.0.0.1:{AggregatorProcess.FreePort()}");

        var code = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        Assert.Contains("MemoryTrim:QuietSeconds", run.Errors, StringComparison.Ordinal);
    }
}
