using System.Net;
using System.Text.Json;
using Aggregator.Cleaning;
using Aggregator.Export;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Export;

/// <summary>
/// The exports as readers we did not write see them: Python's feedparser (the reference for feed quirks) and
/// newsboat (a C++ reader with its own parser) must read every item, titles and dates intact.
/// </summary>
public sealed class IndependentReaderTests(ExportFixture fixture) : IClassFixture<ExportFixture>, IDisposable
{
    // The system interpreter: a pyenv python3 earlier on PATH has no feedparser.
    private const string Python = "/usr/bin/python3";

    private const string FeedparserScript = """
        import json, sys, feedparser
        d = feedparser.parse(sys.argv[1])
        def date(t): return list(t[:6]) if t else None
        print(json.dumps({
            "bozo": int(bool(d.bozo)),
            "bozo_exception": str(d.get("bozo_exception", "")),
            "version": d.version,
            "entries": [{
                "id": e.get("id"),
                "title": e.get("title"),
                # Not e.link: feedparser falls back to the id there when an entry has no link.
                "link": next((l["href"] for l in e.get("links", []) if l.get("rel") == "alternate"), None),
                "published": date(e.get("published_parsed")),
                "author": e.get("author"),
                "source": e.get("source", {}).get("title"),
                "content": e.content[0].value if e.get("content") else None,
                "summary": e.get("summary"),
                "summary_type": e.get("summary_detail", {}).get("type"),
            } for e in d.entries],
        }))
        """;

    private const string JsonFeedScript = """
        import json, sys
        with open(sys.argv[1], encoding="utf-8") as f:
            d = json.load(f)
        missing = [k for k in ("version", "title", "items") if k not in d]
        for i, item in enumerate(d.get("items", [])):
            missing += [f"items[{i}].{k}" for k in ("id",) if k not in item]
            if "content_html" not in item and "content_text" not in item:
                missing.append(f"items[{i}].content_html|content_text")
        print(json.dumps({"version": d.get("version"), "missing": missing, "titles": [i.get("title") for i in d.get("items", [])]}))
        """;

    private const string NewsboatTitlesScript = """
        import json, sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        print(json.dumps([t for (t,) in db.execute("select title from rss_item")]))
        """;

    private readonly List<TempDirectory> folders = [];

    [Theory]
    [InlineData("atom", "atom10")]
    [InlineData("rss", "rss20")]
    public async Task Feedparser_ReadsTheExportWithoutComplaint(string format, string version)
    {
        var feed = await FeedparserAsync(format);

        Assert.True(feed.GetProperty("bozo").GetInt32() == 0, feed.GetProperty("bozo_exception").GetString());
        Assert.Equal(version, feed.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_ReadsEveryTitleWithItsAccents(string format)
    {
        var entries = Entries(await FeedparserAsync(format));

        Assert.Equal(ExportFixture.Titles.Order(StringComparer.Ordinal), entries.Select(e => e.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_ReadsAbsoluteLinksAndParsedDates(string format)
    {
        var entries = Entries(await FeedparserAsync(format));
        var links = entries.Select(e => e.GetProperty("link").GetString()).Where(l => l is not null).ToList();

        Assert.Equal(ExportFixture.Titles.Length - 1, links.Count);
        Assert.All(links, link => ExportAssert.AbsoluteHttp(link));
        Assert.All(entries, e => Assert.Equal(JsonValueKind.Array, e.GetProperty("published").ValueKind));
        var sommet = entries.Single(e => e.GetProperty("title").GetString() == "Le sommet de Rabat");
        Assert.Equal([2015, 11, 13, 17, 30, 0], sommet.GetProperty("published").EnumerateArray().Select(n => n.GetInt32()));
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_ReadsIdsAuthorsSourcesAndBodies(string format)
    {
        var entries = Entries(await FeedparserAsync(format));

        Assert.Equal(entries.Count, entries.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("author").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("source").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("content").GetString()));
        });
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Feedparser_ShowsTheSummaryAsThePlainTextStored(string format)
    {
        var stored = fixture.Pipeline.Store.Latest(100).ToDictionary(i => i.Title, i => Folded(HtmlCleaner.Summarize(i.BodyText)));

        var entries = Entries(await FeedparserAsync(format));

        // Text such as "<script>" in a dispatch is words to show, never markup for the reader to act on.
        Assert.All(entries, e => Assert.Equal(stored[e.GetProperty("title").GetString()!], Folded(ShownText(e))));
    }

    [Fact]
    public async Task PythonJson_FindsEveryRequiredJsonFeedKey()
    {
        await RequirePythonAsync("json");
        using var folder = new TempDirectory();
        var file = fixture.RenderToFile(ExportFormat.Json, folder);

        var result = await RunPythonAsync(JsonFeedScript, file);

        Assert.Equal("https://jsonfeed.org/version/1.1", result.GetProperty("version").GetString());
        Assert.Empty(result.GetProperty("missing").EnumerateArray());
        Assert.Equal(ExportFixture.Titles.Order(StringComparer.Ordinal), result.GetProperty("titles").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Newsboat_ReloadsTheExportOverHttpAndCountsEveryItemUnread(string format)
    {
        var home = await NewsboatReloadAsync(format);

        var unread = await RunNewsboatAsync(home, "print-unread");

        Assert.Equal($"{ExportFixture.Titles.Length} unread articles", unread.Output.Trim());
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    public async Task Newsboat_StoresEveryTitleWithItsAccents(string format)
    {
        await RequirePythonAsync("sqlite3");
        var home = await NewsboatReloadAsync(format);

        var titles = await RunPythonAsync(NewsboatTitlesScript, home.File("cache.db"));

        Assert.Equal(ExportFixture.Titles.Order(StringComparer.Ordinal), titles.EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("atom", "category")]
    [InlineData("atom", "archive")]
    [InlineData("rss", "category")]
    [InlineData("rss", "archive")]
    public async Task Feedparser_ReadsACategoryFeedAndAnArchivePage(string format, string variant)
    {
        var feed = await FeedparserAsync(format, variant);

        Assert.True(feed.GetProperty("bozo").GetInt32() == 0, feed.GetProperty("bozo_exception").GetString());
        var entries = feed.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(ExportFixture.CountOf(variant), entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Contains(e.GetProperty("title").GetString(), ExportFixture.Titles);
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("id").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("author").GetString()));
            Assert.Equal(JsonValueKind.Array, e.GetProperty("published").ValueKind);
        });
    }

    [Theory]
    [InlineData("atom", "category")]
    [InlineData("atom", "archive")]
    [InlineData("rss", "category")]
    [InlineData("rss", "archive")]
    public async Task Newsboat_ReadsACategoryFeedAndAnArchivePage(string format, string variant)
    {
        var home = await NewsboatReloadAsync(format, variant);

        var unread = await RunNewsboatAsync(home, "print-unread");

        Assert.Equal($"{ExportFixture.CountOf(variant)} unread articles", unread.Output.Trim());
    }

    [Theory]
    [InlineData("category")]
    [InlineData("archive")]
    public async Task Jing_FindsACategoryFeedAndAnArchivePageValidAtom(string variant)
    {
        var jing = ExternalTool.Require("jing", "apt-get install jing");
        using var folder = new TempDirectory();
        var file = folder.File("variant.atom");
        File.WriteAllBytes(file, fixture.RenderVariant(ExportFormat.Atom, variant));

        var run = await ExternalTool.RunAsync(jing, ["-c", TestData.PathOf("Schemas/atom.rnc"), file]);

        Assert.True(run.ExitCode == 0 && run.Output.Length == 0, run.ToString());
    }

    /// <summary>Serves one export over HTTP and has newsboat fetch it into a cache of its own; the folder is the test's.</summary>
    private async Task<TempDirectory> NewsboatReloadAsync(string format, string? variant = null)
    {
        ExternalTool.Require("newsboat", "apt-get install newsboat");
        Assert.True(FeedFormats.TryParse(format, out var parsed));
        var body = variant is null ? fixture.Pipeline.Exporter.Render(parsed) : fixture.RenderVariant(parsed, variant);
        var path = "/" + FeedFormats.FileName(parsed);
        await using var server = await FixtureServer.StartAsync(app => app.MapGet(path, () => TestData.Serve(body, FeedFormats.ContentType(parsed))));
        var home = new TempDirectory();
        folders.Add(home);
        File.WriteAllText(home.File("urls"), server.Url(path).AbsoluteUri + "\n");
        File.WriteAllText(home.File("config"), "");

        await RunNewsboatAsync(home, "reload");

        Assert.Equal(1, server.HitsOf(path));
        return home;
    }

    private static async Task<ToolRun> RunNewsboatAsync(TempDirectory home, string command)
    {
        // Its own HOME, so newsboat neither reads nor writes the user's files; a UTF-8 locale for the accents.
        var environment = new Dictionary<string, string> { ["HOME"] = home.Path, ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8" };
        var run = await ExternalTool.RunAsync(
            ExternalTool.Require("newsboat", "apt-get install newsboat"),
            ["-u", home.File("urls"), "-c", home.File("cache.db"), "-C", home.File("config"), "-x", command],
            home.Path,
            environment);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private async Task<JsonElement> FeedparserAsync(string format, string? variant = null)
    {
        await RequirePythonAsync("feedparser");
        Assert.True(FeedFormats.TryParse(format, out var parsed));
        using var folder = new TempDirectory();
        var file = fixture.RenderToFile(parsed, folder);
        if (variant is not null)
        {
            File.WriteAllBytes(file, fixture.RenderVariant(parsed, variant));
        }

        return await RunPythonAsync(FeedparserScript, file);
    }

    private static List<JsonElement> Entries(JsonElement feed)
    {
        var entries = feed.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(ExportFixture.Titles.Length, entries.Count);
        return entries;
    }

    /// <summary>The summary as a reader displays it: an HTML summary is decoded, a text one shown as is.</summary>
    private static string? ShownText(JsonElement entry)
    {
        var summary = entry.GetProperty("summary").GetString();
        return entry.GetProperty("summary_type").GetString() == "text/html" ? WebUtility.HtmlDecode(summary) : summary;
    }

    private static string Folded(string? text) => string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static async Task RequirePythonAsync(string module)
    {
        ExternalTool.Require(Python, "apt-get install python3");
        var check = await ExternalTool.RunAsync(Python, ["-c", "import " + module]);
        if (check.ExitCode != 0)
        {
            Assert.Skip($"{Python} cannot import {module}: apt-get install python3-{module}");
        }
    }

    private static async Task<JsonElement> RunPythonAsync(string script, string argument)
    {
        var run = await ExternalTool.RunAsync(Python, ["-c", script, argument]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    public void Dispose() => folders.ForEach(f => f.Dispose());
}
