using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Deduplication;

/// <summary>One story, one entry: the same dispatch from three outlets through the real pipeline and exports.</summary>
public sealed partial class StoryDeduplicatorTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private readonly TempDirectory data = new();
    private readonly Dictionary<string, string> overrides = [];
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app => app.MapGet("/{name}.xml", (string name) =>
        {
            var text = overrides.GetValueOrDefault(name) ?? TestData.Text($"Stories/{name}.xml");
            return Results.Bytes(Encoding.UTF8.GetBytes(WithDates(text)), "application/xml");
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        data.Dispose();
    }

    private FeedConfig Feed(string id, int priority = 0) => Pipeline.Feed(id, server.Url(id + ".xml")) with { Name = id.ToUpperInvariant(), Priority = priority };

    private Pipeline Open(params FeedConfig[] feeds) => new(data.Path, feeds.Length > 0 ? feeds : [Feed("xinhua"), Feed("aps"), Feed("map")]);

    private static async Task RefreshAllAsync(Pipeline pipeline, params string[] ids)
    {
        foreach (var id in ids)
        {
            await pipeline.RefreshAsync(pipeline.Config.Current.Feeds.Single(f => f.Id == id));
        }
    }

    private static XElement AtomOf(Pipeline pipeline) => XDocument.Parse(Encoding.UTF8.GetString(pipeline.Exporter.Render(ExportFormat.Atom))).Root!;

    private static XElement AviationEntry(XElement feed) =>
        feed.Elements(Atom + "entry").Single(e => e.Element(Atom + "content")!.Value.Contains("aéronautique civile", StringComparison.Ordinal));

    [Fact]
    public async Task SameDispatchFromThreeOutlets_IsOneStoryToldByTheEarliest()
    {
        using var pipeline = Open();

        await RefreshAllAsync(pipeline, "xinhua", "aps", "map");

        var stories = pipeline.Store.LatestStories(10);
        Assert.Equal(3, stories.Count);
        var aviation = Assert.Single(stories, s => s.ItemIds.Count > 1);
        Assert.Equal(3, aviation.ItemIds.Count);
        Assert.Equal("xinhua", pipeline.Store.Find(aviation.CanonicalId)!.FeedId);
    }

    [Fact]
    public async Task TwoEarthquakesInTheSameProvince_StayTwoStories()
    {
        using var pipeline = Open();

        await RefreshAllAsync(pipeline, "xinhua", "aps");

        var quakes = pipeline.Store.LatestStories(10).Where(s => pipeline.Store.Find(s.CanonicalId)!.Title.Contains("Sichuan", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, quakes.Count);
        Assert.All(quakes, q => Assert.Single(q.ItemIds));
    }

    [Fact]
    public async Task AtomEntry_CarriesTheCanonicalItemAndLinksTheOtherOutlets()
    {
        using var pipeline = Open();
        await RefreshAllAsync(pipeline, "xinhua", "aps", "map");

        var feed = AtomOf(pipeline);
        var entry = AviationEntry(feed);

        Assert.Equal(3, feed.Elements(Atom + "entry").Count());
        Assert.StartsWith("La Chine et la France renforcent", entry.Element(Atom + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal("XINHUA", entry.Element(Atom + "source")!.Element(Atom + "title")!.Value);
        var related = entry.Elements(Atom + "link").Where(l => (string?)l.Attribute("rel") == "related").ToList();
        Assert.Equal(["https://aps.example/monde/aero-chine-france", "https://map.example/fr/actualites/aero-4242"], related.Select(l => (string?)l.Attribute("href")));
        Assert.StartsWith("APS : Aéronautique civile", (string?)related[0].Attribute("title"), StringComparison.Ordinal);
        var content = entry.Element(Atom + "content")!.Value;
        Assert.Matches(AlsoPublishedBy(), content);
        Assert.Contains(">APS</a>", content, StringComparison.Ordinal);
        Assert.Contains(">MAP</a>", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RssAndJsonFeed_CarryTheRelatedOutletsToo()
    {
        using var pipeline = Open();
        await RefreshAllAsync(pipeline, "xinhua", "aps", "map");

        var rss = XDocument.Parse(Encoding.UTF8.GetString(pipeline.Exporter.Render(ExportFormat.Rss))).Root!;
        using var json = JsonDocument.Parse(pipeline.Exporter.Render(ExportFormat.Json));

        var rssItem = rss.Element("channel")!.Elements("item").Single(i => i.Elements(Atom + "link").Any());
        Assert.Equal(2, rssItem.Elements(Atom + "link").Count(l => (string?)l.Attribute("rel") == "related"));
        Assert.Matches(AlsoPublishedBy(), rssItem.Element(XNamespace.Get("http://purl.org/rss/1.0/modules/content/") + "encoded")!.Value);
        var jsonItem = json.RootElement.GetProperty("items").EnumerateArray().Single(i => i.TryGetProperty("_related", out _));
        Assert.Equal(["APS", "MAP"], jsonItem.GetProperty("_related").EnumerateArray().Select(r => r.GetProperty("source_title").GetString()));
        Assert.Matches(AlsoPublishedBy(), jsonItem.GetProperty("content_html").GetString()!);
    }

    [Fact]
    public async Task EntryId_StaysTheSameWhenAnotherOutletJoinsLater_AndUpdatedMovesForward()
    {
        using var pipeline = Open();
        await RefreshAllAsync(pipeline, "xinhua");
        var before = AviationEntry(AtomOf(pipeline));

        await RefreshAllAsync(pipeline, "aps");
        var after = AviationEntry(AtomOf(pipeline));

        Assert.Equal(before.Element(Atom + "id")!.Value, after.Element(Atom + "id")!.Value);
        Assert.True(DateTimeOffset.Parse(after.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture) > DateTimeOffset.Parse(before.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture));
        Assert.Single(after.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "related");
    }

    [Fact]
    public async Task Priority_PrefersAnOutletOverTheEarliest()
    {
        using var pipeline = Open(Feed("xinhua"), Feed("aps", priority: 5), Feed("map"));

        await RefreshAllAsync(pipeline, "xinhua", "aps", "map");

        var entry = AviationEntry(AtomOf(pipeline));
        Assert.Equal("APS", entry.Element(Atom + "source")!.Element(Atom + "title")!.Value);
        Assert.StartsWith("Aéronautique civile : Pékin et Paris", entry.Element(Atom + "title")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexSurvivesARestart_ALaterCopyStillJoinsTheStory()
    {
        using (var first = Open())
        {
            await RefreshAllAsync(first, "xinhua");
        }

        using var second = Open();
        await RefreshAllAsync(second, "map");

        var aviation = Assert.Single(second.Store.LatestStories(10), s => s.ItemIds.Count > 1);
        Assert.Equal(2, aviation.ItemIds.Count);
    }

    [Fact]
    public async Task CorrectionOfTheCanonicalItem_UpdatesTheStoryInPlace()
    {
        using var pipeline = Open();
        await RefreshAllAsync(pipeline, "xinhua", "aps");
        var before = AviationEntry(AtomOf(pipeline));

        overrides["xinhua"] = TestData.Text("Stories/xinhua.xml").Replace("renforcent leur coopération", "approfondissent leur coopération", StringComparison.Ordinal);
        await RefreshAllAsync(pipeline, "xinhua");
        var after = AviationEntry(AtomOf(pipeline));

        Assert.Equal(before.Element(Atom + "id")!.Value, after.Element(Atom + "id")!.Value);
        Assert.Contains("approfondissent", after.Element(Atom + "title")!.Value, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse(after.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture) >= DateTimeOffset.Parse(before.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture));
        Assert.Equal(3, pipeline.Store.LatestStories(10).Count);
    }

    [Fact]
    public async Task CorrectionToTheFullText_IsWhatLaterCopiesAreMatchedAgainst()
    {
        // A flash first, then the full dispatch as a correction of the same item: the other outlet's copy of the
        // full text, arriving after, belongs to that story (the corrected item is fingerprinted and indexed anew).
        var original = TestData.Text("Stories/xinhua.xml");
        var start = original.IndexOf("<![CDATA[", StringComparison.Ordinal) + "<![CDATA[".Length;
        var end = original.IndexOf("]]>", start, StringComparison.Ordinal);
        overrides["xinhua"] = string.Concat(original.AsSpan(0, start), "<p>PÉKIN, 13 novembre (Xinhua) -- Flash : le texte complet de cette dépêche sur les transports sera publié dans quelques instants par notre rédaction économique, qui suit la visite officielle.</p>", original.AsSpan(end));
        using var pipeline = Open();
        await RefreshAllAsync(pipeline, "xinhua");
        overrides.Remove("xinhua");
        await RefreshAllAsync(pipeline, "xinhua");

        await RefreshAllAsync(pipeline, "aps");

        var aviation = Assert.Single(pipeline.Store.LatestStories(10), s => s.ItemIds.Count > 1);
        Assert.Equal(["aps", "xinhua"], aviation.ItemIds.Select(id => pipeline.Store.Find(id)!.FeedId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SameCanonicalLinkFromTwoFeeds_IsOneStory()
    {
        overrides["map"] = """
            <rss version="2.0"><channel><title>Relais</title><link>https://relay.example/</link><description>x</description>
            <item><title>Tout autre titre</title><link>https://xinhua.example/2025/aero-1.htm?xtor=RSS-3</link><guid>relay-1</guid>
            <pubDate>{{HOURS_AGO:1}}</pubDate><description>Un court résumé sans rapport apparent.</description></item></channel></rss>
            """;
        using var pipeline = Open();

        await RefreshAllAsync(pipeline, "xinhua", "map");

        var aviation = Assert.Single(pipeline.Store.LatestStories(10), s => s.ItemIds.Count > 1);
        Assert.Equal(2, aviation.ItemIds.Count);
    }

    [Fact]
    public async Task StoriesCommand_ListsWhatWasMerged()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("feeds.json"), $$"""
            { "feeds": [
              { "id": "xinhua", "name": "Xinhua", "url": "{{server.Url("xinhua.xml")}}" },
              { "id": "aps", "name": "APS", "url": "{{server.Url("aps.xml")}}" },
              { "id": "map", "name": "MAP", "url": "{{server.Url("map.xml")}}" } ] }
            """);
        await AggregatorProcess.RunAsync(folder.Path, "fetch");

        var (code, output, _) = await AggregatorProcess.RunAsync(folder.Path, "stories", "--since", "24h");

        Assert.Equal(0, code);
        Assert.Contains("3 outlets  La Chine et la France renforcent", output, StringComparison.Ordinal);
        Assert.Contains("* Xinhua", output, StringComparison.Ordinal);
        Assert.Contains("1 stories carried by more than one outlet", output, StringComparison.Ordinal);
    }

    [GeneratedRegex("Aussi publié par\u00A0: .*APS.*MAP")]
    private static partial Regex AlsoPublishedBy();

    /// <summary>Dates relative to now, so fixtures stay inside the deduplication window whenever the tests run.</summary>
    private static string WithDates(string text)
    {
        var now = DateTimeOffset.UtcNow;
        text = HoursAgo().Replace(text, m => now.AddHours(-int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture));
        return IsoHoursAgo().Replace(text, m => now.AddHours(-int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"\{\{HOURS_AGO:(\d+)\}\}")]
    private static partial Regex HoursAgo();

    [GeneratedRegex(@"\{\{ISO_HOURS_AGO:(\d+)\}\}")]
    private static partial Regex IsoHoursAgo();
}
