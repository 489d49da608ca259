using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Hosting;

/// <summary>The service as an operator runs it: scheduled first fetch, HTTP endpoints, SIGTERM.</summary>
public sealed class ServeProcessTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private readonly TempDirectory folder = new();
    private readonly TaskCompletionSource slowRequestStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient http = new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(20) };
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/rss2.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml"));
            app.MapGet("/slow.xml", async () =>
            {
                slowRequestStarted.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(3));
                return Results.Bytes(TestData.Bytes("Feeds/atom-xmlbase.xml"), "application/atom+xml");
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
        folder.Dispose();
    }

    private (AggregatorProcess Process, Uri Base) StartServe(params (string Id, string Path)[] feeds)
    {
        var entries = string.Join(",\n", feeds.Select(f => $$"""{ "id": "{{f.Id}}", "url": "{{server.Url(f.Path)}}", "timeout": "20s" }"""));
        File.WriteAllText(folder.File("feeds.json"), $$"""{ "output": { "title": "Service de test" }, "feeds": [ {{entries}} ] }""");
        var port = AggregatorProcess.FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}/");
        return (AggregatorProcess.Start(folder.Path, "serve", "--urls", baseUri.AbsoluteUri.TrimEnd('/')), baseUri);
    }

    private async Task<XElement> WaitForEntriesAsync(Uri baseUri, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var body = await http.GetStringAsync(new Uri(baseUri, "feed.atom"), TestContext.Current.CancellationToken);
                var feed = XDocument.Parse(body).Root!;
                if (feed.Elements(Atom + "entry").Count() >= count)
                {
                    return feed;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the combined feed never filled");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Serve_FetchesAtStartupAndServesTheCombinedFeed()
    {
        var (process, baseUri) = StartServe(("rss2", "rss2.xml"));
        using (process)
        {
            var feed = await WaitForEntriesAsync(baseUri, 3);

            Assert.Equal("Service de test", feed.Element(Atom + "title")?.Value);
            using var health = await http.GetAsync(new Uri(baseUri, "health"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("\"scheduler\":\"running\"", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_AnswersConditionalRequestsWith304()
    {
        var (process, baseUri) = StartServe(("rss2", "rss2.xml"));
        using (process)
        {
            await WaitForEntriesAsync(baseUri, 3);
            using var first = await http.GetAsync(new Uri(baseUri, "feed.rss"), TestContext.Current.CancellationToken);
            using var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "feed.rss"));
            conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);

            using var second = await http.SendAsync(conditional, TestContext.Current.CancellationToken);

            Assert.Equal("application/rss+xml", first.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        }
    }

    [Fact]
    public async Task Serve_Sigterm_WaitsForTheRunningFetchThenExits()
    {
        var (process, baseUri) = StartServe(("slow", "slow.xml"));
        using (process)
        {
            await slowRequestStarted.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

            process.Terminate();
            var code = await process.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(0, code);
            using var store = ItemStore.Open(Path.Combine(folder.Path, "data"), TimeProvider.System);
            Assert.Equal(2, store.CountItems("slow"));
        }
    }

    [Fact]
    public async Task Serve_InvalidConfiguration_RefusesToStartWithExit2()
    {
        File.WriteAllText(folder.File("feeds.json"), """{ "feeds": [ { "id": "x" } ] }""");

        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "serve", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, code);
        Assert.Contains("$.feeds[0]", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_GzipAndHead_AreAnswered()
    {
        var (process, baseUri) = StartServe(("rss2", "rss2.xml"));
        using (process)
        {
            await WaitForEntriesAsync(baseUri, 3);
            using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "feed.json"));
            gzipRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(baseUri, "feed.atom"));

            using var gzipped = await http.SendAsync(gzipRequest, TestContext.Current.CancellationToken);
            using var headResponse = await http.SendAsync(head, TestContext.Current.CancellationToken);

            Assert.Contains("gzip", gzipped.Content.Headers.ContentEncoding);
            Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
            Assert.True(headResponse.Content.Headers.ContentLength > 0);
            Assert.Empty(await headResponse.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }
}
