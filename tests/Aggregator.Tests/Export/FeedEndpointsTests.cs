using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Aggregator.Export;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Export;

/// <summary>The feed endpoints on a real Kestrel: media types, validators, 304s, HEAD, gzip, one render per change.</summary>
public sealed class FeedEndpointsTests : IAsyncLifetime
{
    private ExportFixture? fixture;
    private WebApplication? app;
    private HttpClient? client;

    private ExportFixture Fixture => fixture!;

    private HttpClient Client => client!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => fixture = await ExportFixture.StartAsync();

    [Theory]
    [InlineData("/feed.atom", "application/atom+xml")]
    [InlineData("/feed.rss", "application/rss+xml")]
    [InlineData("/feed.json", "application/feed+json")]
    public async Task Get_EachFormat_ServesItsMediaTypeInUtf8(string path, string mediaType)
    {
        await HostAsync();

        using var response = await Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
    }

    [Theory]
    [InlineData("/feed.atom")]
    [InlineData("/feed.rss")]
    [InlineData("/feed.json")]
    public async Task Get_EachFormat_HasETagAndLastModified(string path)
    {
        await HostAsync();

        using var response = await Client.GetAsync(path, Cancel);

        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Get_WithMatchingIfNoneMatch_Returns304WithoutBody()
    {
        await HostAsync();
        using var first = await Client.GetAsync("/feed.atom", Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.atom");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task Get_WithStaleIfNoneMatch_Returns200()
    {
        await HostAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.atom");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef01234567\""));

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Get_WithIfModifiedSinceLastModified_Returns304WithoutBody()
    {
        await HostAsync();
        using var first = await Client.GetAsync("/feed.rss", Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.rss");
        request.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Head_Feed_Returns200WithContentLengthAndNoBody()
    {
        await HostAsync();
        using var get = await Client.GetAsync("/feed.json", Cancel);
        var body = await get.Content.ReadAsByteArrayAsync(Cancel);

        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/feed.json"), Cancel);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    [Fact]
    public async Task Get_AcceptingGzip_ServesGzipThatInflatesToTheSameDocument()
    {
        await HostAsync();
        using var plain = await Client.GetAsync("/feed.atom", Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.atom");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);
        await using var gunzip = new GZipStream(await response.Content.ReadAsStreamAsync(Cancel), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        await gunzip.CopyToAsync(inflated, Cancel);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(Cancel), inflated.ToArray());
    }

    [Fact]
    public async Task Get_GzipETagInIfNoneMatch_Returns304()
    {
        await HostAsync();
        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, "/feed.atom");
        gzipRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gzipped = await Client.SendAsync(gzipRequest, Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.atom");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        request.Headers.IfNoneMatch.Add(gzipped.Headers.ETag!);

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Get_Twice_ServesOneRenderingWithTheSameETag()
    {
        var exporter = await HostAsync();

        using var first = await Client.GetAsync("/feed.atom", Cancel);
        var rendered = exporter.Current(ExportFormat.Atom);
        using var second = await Client.GetAsync("/feed.atom", Cancel);

        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Same(rendered, exporter.Current(ExportFormat.Atom));
    }

    [Fact]
    public async Task Get_AfterARefreshStoresANewItem_ServesANewETag()
    {
        await HostAsync();
        using var before = await Client.GetAsync("/feed.atom", Cancel);
        Fixture.Publish("no-guid-no-link.xml", WithExtraItem("Nouvelle dépêche", "Sat, 14 Nov 2015 12:00:00 GMT"));

        var outcome = await Fixture.RefreshAsync("sans");
        using var after = await Client.GetAsync("/feed.atom", Cancel);

        Assert.Equal(1, outcome.New);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains("Nouvelle dépêche", await after.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AfterARefreshStoresALateDispatch_IsNotAnsweredNotModifiedSince()
    {
        // A dispatch dated before everything already served: the item dates do not move, the document does.
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await HostAsync(clock);
        using var before = await Client.GetAsync("/feed.atom", Cancel);
        Fixture.Publish("no-guid-no-link.xml", WithExtraItem("Dépêche en retard", "Sun, 01 Nov 2015 08:00:00 GMT"));
        clock.Now += TimeSpan.FromMinutes(1);
        await Fixture.RefreshAsync("sans");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.atom");
        request.Headers.IfModifiedSince = before.Content.Headers.LastModified;

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.LastModified > before.Content.Headers.LastModified);
        Assert.Contains("Dépêche en retard", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    /// <summary>Hosts the endpoints over the fixture's store; with a clock of our own when one is given.</summary>
    private async Task<FeedExporter> HostAsync(TimeProvider? clock = null)
    {
        var exporter = clock is null ? Fixture.Pipeline.Exporter : new FeedExporter(Fixture.Pipeline.Store, Fixture.Pipeline.Config, clock);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(Fixture.Pipeline.Config);
        builder.Services.AddSingleton(Fixture.Pipeline.Store);
        builder.Services.AddSingleton(exporter);
        app = builder.Build();
        app.MapFeeds();
        await app.StartAsync();
        // No automatic decompression: the tests look at the bytes on the wire.
        client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(app.Urls.First()) };
        return exporter;
    }

    private static string WithExtraItem(string title, string pubDate)
    {
        var xml = XDocument.Parse(TestData.Text("Feeds/no-guid-no-link.xml"));
        xml.Root!.Element("channel")!.Add(new XElement(
            "item",
            new XElement("title", title),
            new XElement("link", "https://sans.example/" + Uri.EscapeDataString(title) + ".html"),
            new XElement("pubDate", pubDate),
            new XElement("description", title + ".")));
        return xml.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        if (fixture is not null)
        {
            await fixture.DisposeAsync();
        }
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
