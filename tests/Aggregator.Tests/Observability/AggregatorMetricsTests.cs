using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Observability;

/// <summary>GET /metrics scraped from the real service after it fetched the fixture outlets.</summary>
public sealed partial class AggregatorMetricsTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private FixtureServer server = null!;
    private AggregatorProcess? process;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Two outlets carrying the same dispatch (TestData/Stories), dated a few hours ago so they fall in one story.
        server = await FixtureServer.StartAsync(app => app.MapGet("/{name}.xml", (string name) =>
        {
            var now = DateTimeOffset.UtcNow;
            var text = HoursAgo().Replace(TestData.Text($"Stories/{name}.xml"), m => now.AddHours(-int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture));
            text = IsoHoursAgo().Replace(text, m => now.AddHours(-int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            return Results.Bytes(Encoding.UTF8.GetBytes(text), "application/xml");
        }));
    }

    public async ValueTask DisposeAsync()
    {
        process?.Dispose();
        http.Dispose();
        await server.DisposeAsync();
        folder.Dispose();
    }

    private Uri Serve()
    {
        File.WriteAllText(folder.File("feeds.json"), $$"""
            { "feeds": [
              { "id": "xinhua", "url": "{{server.Url("xinhua.xml")}}" },
              { "id": "aps", "url": "{{server.Url("aps.xml")}}" }
            ] }
            """);
        var baseUri = new Uri($"http://127.0.0.1:{AggregatorProcess.FreePort()}/");
        process = AggregatorProcess.Start(folder.Path, "serve", "--urls", baseUri.AbsoluteUri.TrimEnd('/'));
        return baseUri;
    }

    /// <summary>Scrapes until both feeds' first fetch is counted; the scheduler runs them at start-up.</summary>
    private async Task<PrometheusText> ScrapeAfterFetchesAsync(Uri baseUri)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var metrics = await ScrapeAsync(baseUri);
                if (metrics.Sum("aggregator_fetches_total", ("feed", "xinhua")) >= 1 && metrics.Sum("aggregator_fetches_total", ("feed", "aps")) >= 1)
                {
                    return metrics;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the fetches were never counted. Output:\n{process?.Output}\nErrors:\n{process?.Errors}");
            }

            await Task.Delay(200, Cancel);
        }
    }

    private async Task<PrometheusText> ScrapeAsync(Uri baseUri)
    {
        using var response = await http.GetAsync(new Uri(baseUri, "metrics"), Cancel);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusText(await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Metrics_AfterFirstFetches_CountOutcomesItemsAndBytes()
    {
        var baseUri = Serve();

        var metrics = await ScrapeAfterFetchesAsync(baseUri);

        Assert.Equal(1, metrics.Sum("aggregator_fetches_total", ("feed", "xinhua"), ("outcome", "new")));
        Assert.Equal(1, metrics.Sum("aggregator_fetches_total", ("feed", "aps"), ("outcome", "new")));
        Assert.Equal(2, metrics.Sum("aggregator_fetch_duration_seconds_count"));
        Assert.True(metrics.Sum("aggregator_fetched_bytes_total", ("feed", "aps")) > 0);
        Assert.True(metrics.Sum("aggregator_items_new_total") >= 2);
        Assert.Equal(0, metrics.Sum("aggregator_items_updated_total"));
    }

    [Fact]
    public async Task Metrics_SameDispatchFromTwoOutlets_CountsTheSecondAsMerged()
    {
        var baseUri = Serve();

        var metrics = await ScrapeAfterFetchesAsync(baseUri);

        Assert.True(metrics.Sum("aggregator_items_merged_total") >= 1);
        Assert.True(metrics.Sum("aggregator_items_merged_total") < metrics.Sum("aggregator_items_new_total"));
    }

    [Fact]
    public async Task Metrics_StoreGauges_FollowTheStore()
    {
        var baseUri = Serve();
        await ScrapeAfterFetchesAsync(baseUri);

        var metrics = await ScrapeAsync(baseUri);

        Assert.Equal(metrics.Sum("aggregator_items_new_total"), metrics.Sum("aggregator_store_items"));
        Assert.True(metrics.Sum("aggregator_store_size_bytes") > 0);
        Assert.True(metrics.Sum("aggregator_store_cache_bytes") >= 8192);
    }

    [Fact]
    public async Task Metrics_ExportRequests_CountedByFormatAndStatus()
    {
        var baseUri = Serve();
        await ScrapeAfterFetchesAsync(baseUri);
        using var first = await http.GetAsync(new Uri(baseUri, "feed.atom"), Cancel);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "feed.atom"));
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag ?? EntityTagHeaderValue.Any);
        using var notModified = await http.SendAsync(conditional, Cancel);
        using var json = await http.GetAsync(new Uri(baseUri, "feed.json"), Cancel);

        var metrics = await ScrapeAsync(baseUri);

        Assert.Equal(1, metrics.Sum("aggregator_export_requests_total", ("format", "atom"), ("status", "200")));
        Assert.Equal(1, metrics.Sum("aggregator_export_requests_total", ("format", "atom"), ("status", "304")));
        Assert.Equal(1, metrics.Sum("aggregator_export_requests_total", ("format", "json"), ("status", "200")));
        Assert.Equal(0, metrics.Sum("aggregator_export_requests_total", ("format", "rss")));
    }

    [GeneratedRegex(@"\{\{HOURS_AGO:(\d+)\}\}")]
    private static partial Regex HoursAgo();

    [GeneratedRegex(@"\{\{ISO_HOURS_AGO:(\d+)\}\}")]
    private static partial Regex IsoHoursAgo();

    /// <summary>The Prometheus text exposition format, read just enough to sum the samples of one metric.</summary>
    [Fact]
    public async Task Metrics_RuntimeAndKestrel_ServedBesideOursWithTheirTags()
    {
        var baseUri = Serve();
        await ScrapeAfterFetchesAsync(baseUri);

        // The scrape before this one is a request Kestrel has measured by then.
        var metrics = await ScrapeAsync(baseUri);

        Assert.True(metrics.Sum("http_server_request_duration_seconds_count", ("http_response_status_code", "200")) >= 1);
        Assert.True(metrics.Names.Any(n => n.StartsWith("dotnet_gc_", StringComparison.Ordinal)), string.Join(", ", metrics.Names));
        Assert.True(metrics.Sum("dotnet_process_cpu_count") >= 1, string.Join(", ", metrics.Names));
    }
}
