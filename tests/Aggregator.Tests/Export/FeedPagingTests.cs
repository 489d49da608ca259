using System.Text.Json;
using System.Xml.Linq;

namespace Aggregator.Tests.Export;

/// <summary>RFC 5005 history: following the older links reaches every story once, and archive pages stay put as news arrives.</summary>
public sealed class FeedPagingTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace History = "http://purl.org/syndication/history/1.0";
    private WireFixture? fixture;

    private WireFixture Fixture => fixture!;

    public async ValueTask InitializeAsync() => fixture = await WireFixture.StartAsync();

    [Theory]
    [InlineData("/feed.atom?limit=3", WireFixture.StoryCount)]
    [InlineData("/feed.atom?limit=1", WireFixture.StoryCount)]
    [InlineData("/c/afrique.atom?limit=5", 12)]
    [InlineData("/feed.atom?category=economie&limit=2", 6)]
    public async Task WalkBack_FollowingNextLinks_SeesEveryStoryOnce(string path, int stories)
    {
        var pages = await WalkAtomAsync(path, "next");

        var ids = pages.SelectMany(EntryIds).ToList();
        Assert.Equal(stories, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task WalkBack_NewestFirstAcrossPages()
    {
        var pages = await WalkAtomAsync("/feed.atom?limit=4", "next");

        var published = pages.SelectMany(p => p.Elements(Atom + "entry")).Select(e => ExportAssert.Rfc3339(e.Element(Atom + "published")!.Value)).ToList();

        ExportAssert.NewestFirst(published);
    }

    [Fact]
    public async Task WalkForward_FromTheOldestPage_SeesEveryStoryOnce()
    {
        var oldest = (await WalkAtomAsync("/feed.atom?limit=3", "prev-archive"))[^1];

        var pages = await WalkAtomAsync(Relative(Link(oldest, "self")!), "next-archive");

        var ids = pages.SelectMany(EntryIds).ToList();
        Assert.Equal(WireFixture.StoryCount, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task WalkBack_AStoryArrivesMidWalk_StillSeesEveryEarlierStoryOnce()
    {
        var first = XDocument.Parse(await Fixture.GetStringAsync("/feed.atom?limit=3")).Root!;
        await Fixture.PublishAsync("qc", "Dépêche arrivée pendant la lecture", new DateTime(2015, 11, 5, 0, 0, 0, DateTimeKind.Utc));

        var rest = await WalkAtomAsync(Relative(Link(first, "next")!), "next");

        var ids = EntryIds(first).Concat(rest.SelectMany(EntryIds)).ToList();
        Assert.Equal(WireFixture.StoryCount, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task ArchivePage_AStoryArrives_StaysByteForByteTheSame()
    {
        var first = XDocument.Parse(await Fixture.GetStringAsync("/feed.atom?limit=3")).Root!;
        var archive = Relative(Link(first, "prev-archive")!);
        var before = await Fixture.GetStringAsync(archive);

        await Fixture.PublishAsync("apa", "Dépêche du lendemain", new DateTime(2015, 11, 5, 0, 0, 0, DateTimeKind.Utc));
        var after = await Fixture.GetStringAsync(archive);
        var newest = XDocument.Parse(await Fixture.GetStringAsync("/feed.atom?limit=3")).Root!;

        Assert.Equal(before, after);
        Assert.Contains("Dépêche du lendemain", EntryTitles(newest));
    }

    [Fact]
    public async Task ArchivePage_CarriesFhArchiveCurrentAndBothArchiveLinks()
    {
        var first = XDocument.Parse(await Fixture.GetStringAsync("/feed.atom?limit=3")).Root!;
        var second = XDocument.Parse(await Fixture.GetStringAsync(Relative(Link(first, "next")!))).Root!;

        Assert.Null(first.Element(History + "archive"));
        Assert.NotNull(second.Element(History + "archive"));
        Assert.Equal(Link(first, "self"), Link(second, "current"));
        Assert.NotNull(Link(second, "prev-archive"));
        Assert.NotNull(Link(second, "next-archive"));
        Assert.Equal(first.Element(Atom + "id")!.Value, second.Element(Atom + "id")!.Value);
    }

    [Fact]
    public async Task NewerArchivePage_HoldsTheStoriesJustAboveTheOlderOne()
    {
        var first = XDocument.Parse(await Fixture.GetStringAsync("/feed.atom?limit=3")).Root!;
        var second = XDocument.Parse(await Fixture.GetStringAsync(Relative(Link(first, "next")!))).Root!;
        var third = XDocument.Parse(await Fixture.GetStringAsync(Relative(Link(second, "next")!))).Root!;

        var back = XDocument.Parse(await Fixture.GetStringAsync(Relative(Link(third, "next-archive")!))).Root!;

        Assert.Equal(EntryIds(second), EntryIds(back));
    }

    [Fact]
    public async Task Rss_WalkBackThroughAtomLinks_SeesEveryStoryOnce()
    {
        XNamespace atom = Atom;
        var guids = new List<string>();
        string? path = "/feed.rss?limit=6";
        var archives = 0;
        while (path is not null)
        {
            var channel = XDocument.Parse(await Fixture.GetStringAsync(path)).Root!.Element("channel")!;
            guids.AddRange(channel.Elements("item").Select(i => i.Element("guid")!.Value));
            archives += channel.Elements(History + "archive").Count();
            var next = (string?)channel.Elements(atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "next")?.Attribute("href");
            path = next is null ? null : Relative(next);
        }

        Assert.Equal(WireFixture.StoryCount, guids.Distinct().Count());
        Assert.Equal(WireFixture.StoryCount, guids.Count);
        Assert.Equal(3, archives);
    }

    [Fact]
    public async Task Json_WalkBackThroughNextUrl_SeesEveryStoryOnce()
    {
        var ids = new List<string>();
        string? path = "/feed.json?limit=7";
        while (path is not null)
        {
            using var json = JsonDocument.Parse(await Fixture.GetStringAsync(path));
            ids.AddRange(json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            path = json.RootElement.TryGetProperty("next_url", out var next) ? Relative(next.GetString()!) : null;
        }

        Assert.Equal(WireFixture.StoryCount, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task LastPage_HasNoOlderLink()
    {
        var pages = await WalkAtomAsync("/feed.atom?limit=10", "next");

        Assert.Equal(2, pages.Count);
        Assert.Null(Link(pages[^1], "next"));
        Assert.Null(Link(pages[^1], "prev-archive"));
    }

    /// <summary>Every page from <paramref name="path"/> following one rel, bounded so a loop in the links fails instead of hanging.</summary>
    private async Task<List<XElement>> WalkAtomAsync(string path, string rel)
    {
        var pages = new List<XElement>();
        string? next = path;
        while (next is not null)
        {
            Assert.True(pages.Count < 100, "the links loop");
            var page = XDocument.Parse(await Fixture.GetStringAsync(next)).Root!;
            pages.Add(page);
            next = Link(page, rel) is { } href ? Relative(href) : null;
        }

        return pages;
    }

    private static string? Link(XElement feed, string rel) =>
        (string?)feed.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href");

    /// <summary>The feed's links name the configured public address; the test server is elsewhere, so keep the path and query.</summary>
    private static string Relative(string href) => new Uri(href).PathAndQuery;

    private static List<string> EntryIds(XElement feed) => [.. feed.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value)];

    private static List<string> EntryTitles(XElement feed) => [.. feed.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value)];

    public async ValueTask DisposeAsync()
    {
        if (fixture is not null)
        {
            await fixture.DisposeAsync();
        }
    }
}
