using System.Net;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Opml;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Opml;

/// <summary>GET /feeds.opml on a real Kestrel: the enabled sources, grouped by category, site links from the store.</summary>
public sealed class OpmlEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory data = new();
    private ItemStore store = null!;
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        FeedConfig Feed(string id, string name, string? category, bool enabled = true) =>
            new() { Id = id, Name = name, Url = new Uri($"https://{id}.example.org/rss"), Category = category, Enabled = enabled };
        var config = new AggregatorConfig(
            new FeedDefaults(),
            new OutputSettings { Title = "Dépêches francophones" },
            [Feed("rfi", "RFI", "monde"), Feed("aps", "APS – Algérie", "afrique"), Feed("france24", "France 24", "monde"), Feed("solo", "Solo", null), Feed("off", "Éteint", "monde", enabled: false)]);
        store = ItemStore.Open(data.Path, TimeProvider.System);
        store.SaveState(new FeedState { Id = "rfi", SourceLink = "https://www.rfi.fr/fr/" });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(new ActiveConfig(config, "feeds.json")).AddSingleton(store);
        app = builder.Build();
        app.MapOpml();
        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        store.Dispose();
        data.Dispose();
    }

    private async Task<XElement> BodyAsync()
    {
        using var response = await client.GetAsync("/feeds.opml", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/x-opml", response.Content.Headers.ContentType?.MediaType);
        var opml = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;
        Assert.Equal(("opml", "2.0"), (opml.Name.LocalName, (string?)opml.Attribute("version")));
        Assert.Equal("Dépêches francophones", opml.Element("head")?.Element("title")?.Value);
        return opml.Element("body")!;
    }

    [Fact]
    public async Task Get_GroupsEnabledFeedsUnderTheirCategory()
    {
        var body = await BodyAsync();

        var outlines = body.Elements("outline").Select(o => $"{o.Attribute("text")?.Value}: {string.Join(" ", o.Elements("outline").Select(f => f.Attribute("xmlUrl")?.Value))}");
        Assert.Equal(
            ["monde: https://rfi.example.org/rss https://france24.example.org/rss", "afrique: https://aps.example.org/rss", "Solo: "],
            outlines);
    }

    [Fact]
    public async Task Get_FeedOutline_HasTitleAndTheSiteLinkOnceKnown()
    {
        var body = await BodyAsync();

        var feeds = body.Descendants("outline").Where(o => o.Attribute("xmlUrl") is not null).ToDictionary(o => (string)o.Attribute("xmlUrl")!);
        Assert.Equal("RFI", (string?)feeds["https://rfi.example.org/rss"].Attribute("title"));
        Assert.Equal("https://www.rfi.fr/fr/", (string?)feeds["https://rfi.example.org/rss"].Attribute("htmlUrl"));
        Assert.Null(feeds["https://aps.example.org/rss"].Attribute("htmlUrl"));
        Assert.Equal("APS – Algérie", (string?)feeds["https://aps.example.org/rss"].Attribute("text"));
    }

    [Fact]
    public async Task Get_OwnOutput_ImportsBackAsTheSameFeeds()
    {
        var bytes = await client.GetByteArrayAsync("/feeds.opml", TestContext.Current.CancellationToken);

        var read = OpmlReader.Read(new MemoryStream(bytes)).Document!;

        Assert.Equal(
            [("RFI", "monde"), ("France 24", "monde"), ("APS – Algérie", "afrique"), ("Solo", null)],
            read.Feeds.Select(f => (f.Title, f.Category)));
    }
}
