using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Aggregator.Tests.Export;

/// <summary>The query parameters and category paths over HTTP: what each filter keeps, and the 400s for what is wrong.</summary>
public sealed class FeedQueryTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private WireFixture? fixture;

    private WireFixture Fixture => fixture!;

    public async ValueTask InitializeAsync() => fixture = await WireFixture.StartAsync();

    [Theory]
    [InlineData("/feed.json", 20)]
    [InlineData("/feed.json?category=afrique", 12)]
    [InlineData("/feed.json?category=AFRIQUE", 12)]
    [InlineData("/feed.json?category=am%C3%A9rique%20du%20nord", 8)]
    [InlineData("/feed.json?category=economie", 6)]
    [InlineData("/feed.json?feed=qc", 8)]
    [InlineData("/feed.json?lang=fr", 20)]
    [InlineData("/feed.json?lang=fr-CA", 8)]
    [InlineData("/feed.json?lang=en", 0)]
    [InlineData("/feed.json?q=seisme", 1)]
    [InlineData("/feed.json?q=S%C3%89ISME%20qu%C3%A9bec", 1)]
    [InlineData("/feed.json?q=seisme%20afrique", 0)]
    [InlineData("/feed.json?since=2015-11-01T12:00:00Z", 8)]
    [InlineData("/feed.json?since=2015-11-01T13:00:00%2B01:00", 8)]
    [InlineData("/feed.json?since=2015-11-01T13:00:00+01:00", 8)]
    [InlineData("/feed.json?since=2015-11-02", 0)]
    [InlineData("/feed.json?since=24h", 0)]
    [InlineData("/feed.json?limit=5", 5)]
    [InlineData("/feed.json?category=afrique&since=2015-11-01T12:00:00Z&limit=4", 4)]
    [InlineData("/c/afrique.json", 12)]
    [InlineData("/c/Am%C3%A9rique-du-Nord.json", 8)]
    [InlineData("/c/economie.json?feed=apa", 6)]
    [InlineData("/c/inconnue.json", 0)]
    public async Task Get_Filter_ServesTheMatchingStories(string path, int expected)
    {
        using var json = JsonDocument.Parse(await Fixture.GetStringAsync(path));

        Assert.Equal(expected, json.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Get_FeedFilter_KeepsOnlyStoriesWhoseCanonicalItemIsThatOutlets()
    {
        using var json = JsonDocument.Parse(await Fixture.GetStringAsync("/feed.json?feed=qc"));

        Assert.All(json.RootElement.GetProperty("items").EnumerateArray(), item => Assert.Equal("qc", item.GetProperty("_source").GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("/c/afrique.atom", "c/afrique.atom")]
    [InlineData("/c/Afrique.rss", "c/afrique.rss")]
    [InlineData("/feed.atom?limit=3&category=Afrique", "feed.atom?category=afrique&limit=3")]
    [InlineData("/c/afrique.atom?q=D%C3%A9p%C3%AAche", "c/afrique.atom?q=depeche")]
    public async Task Get_Variant_LinksToItselfInNormalisedForm(string path, string self)
    {
        var feed = XDocument.Parse(await Fixture.GetStringAsync(path)).Root!;
        var links = feed.Descendants(Atom + "link").Where(l => l.Parent == feed || l.Parent?.Name == "channel");

        var href = (string?)links.Single(l => (string?)l.Attribute("rel") == "self").Attribute("href");

        Assert.Equal(new Uri(new Uri("http://localhost:5080/"), self).AbsoluteUri, href);
    }

    [Fact]
    public async Task Get_CategoryFeed_IsTitledWithTheCategoryAsSpelt()
    {
        var feed = XDocument.Parse(await Fixture.GetStringAsync("/c/amerique-du-nord.atom")).Root!;

        Assert.EndsWith("Amérique du Nord", feed.Element(Atom + "title")!.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/feed.atom?foo=1", "foo")]
    [InlineData("/feed.rss?Category=afrique", "Category")]
    [InlineData("/feed.json?limit=0", "limit")]
    [InlineData("/feed.json?limit=501", "limit")]
    [InlineData("/feed.json?limit=ten", "limit")]
    [InlineData("/feed.json?limit=1&limit=2", "limit")]
    [InlineData("/feed.json?since=yesterday", "since")]
    [InlineData("/feed.json?since=2015-13-45", "since")]
    [InlineData("/feed.json?lang=fr_FR", "lang")]
    [InlineData("/feed.json?feed=inconnu", "feed")]
    [InlineData("/feed.json?q=", "q")]
    [InlineData("/feed.json?q=%2C%3B", "q")]
    [InlineData("/feed.json?category=%2D%2D", "category")]
    [InlineData("/feed.json?before=hier", "before")]
    [InlineData("/feed.json?after=20151101T000000.000Z-XYZ", "after")]
    [InlineData("/c/afrique.atom?category=monde", "category")]
    public async Task Get_BadParameter_Answers400NamingIt(string path, string parameter)
    {
        using var response = await Fixture.GetAsync(path);
        var message = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"'{parameter}'", message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (fixture is not null)
        {
            await fixture.DisposeAsync();
        }
    }
}
