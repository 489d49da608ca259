using System.Net;
using System.Net.Http.Headers;
using Aggregator.Storage;
using Microsoft.AspNetCore.Builder;

namespace Aggregator.Tests.Export;

/// <summary>GET / and /index.html on a real Kestrel: HTML in UTF-8, validators and 304s, re-rendered on change.</summary>
public sealed class HtmlPageEndpointsTests : IAsyncLifetime
{
    private readonly HtmlPageFixture fixture = new();
    private WebApplication? app;
    private HttpClient? client;

    private HttpClient Client => client!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        app = await fixture.HostAsync();
        client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(app.Urls.First()) };
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    public async Task Get_HomePage_ServesHtmlInUtf8WithAStrongETag(string path)
    {
        using var response = await Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Contains("Aéronautique civile", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithTheETagServed_Returns304WithoutBody()
    {
        using var first = await Client.GetAsync("/", Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/index.html");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Get_Twice_RendersOnce()
    {
        var first = fixture.Page.Current();

        using var response = await Client.GetAsync("/", Cancel);

        Assert.Same(first, fixture.Page.Current());
    }

    [Fact]
    public async Task Get_AfterASourceStartsFailing_ServesTheNewHealthLine()
    {
        using var before = await Client.GetAsync("/", Cancel);
        var state = fixture.Store.GetState("rfi");
        state.ConsecutiveFailures = 1;
        fixture.Store.SaveState(state);

        using var after = await Client.GetAsync("/", Cancel);

        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains("3 sources à jour, 2 en échec", await after.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AfterANewStory_ShowsIt()
    {
        using var before = await Client.GetAsync("/", Cancel);
        var candidate = new ItemCandidate("id:late", "https://rfi.example/late", "Dernière minute à Dakar", null, [], [], "<p>Texte.</p>", "Texte.", new DateTime(2026, 11, 26, 17, 0, 0, DateTimeKind.Utc), null);
        fixture.Store.Upsert("rfi", [candidate]);

        using var after = await Client.GetAsync("/", Cancel);

        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains("Dernière minute à Dakar", await after.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AcceptingGzip_ServesGzip()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        fixture.Dispose();
    }
}
