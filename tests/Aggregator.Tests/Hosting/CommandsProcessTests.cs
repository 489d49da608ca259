using System.Text.Json;
using System.Xml.Linq;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Hosting;

/// <summary>The command line as a user runs it: a separate process, a feeds.json, a data folder.</summary>
public sealed class CommandsProcessTests : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private readonly TempDirectory folder = new();
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/rss2.xml", (HttpContext c) =>
            {
                c.Response.Headers.ETag = "\"rss2\"";
                return c.Request.Headers.IfNoneMatch == "\"rss2\"" ? Results.StatusCode(304) : Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml");
            });
            app.MapGet("/atom.xml", () => Results.Bytes(TestData.Bytes("Feeds/atom-xmlbase.xml"), "application/atom+xml"));
            app.MapGet("/missing.xml", () => Results.NotFound());
        });
        File.WriteAllText(folder.File("feeds.json"), $$"""
            {
              "output": { "title": "Dépêches de test", "link": "http://127.0.0.1:5080/", "maxItems": 50 },
              "feeds": [
                { "id": "rss2", "name": "Agence RSS", "url": "{{server.Url("rss2.xml")}}", "category": "monde" },
                { "id": "atom", "name": "Agence Atom", "url": "{{server.Url("atom.xml")}}" },
                { "id": "missing", "name": "Disparu", "url": "{{server.Url("missing.xml")}}" },
                { "id": "off", "name": "Éteint", "url": "{{server.Url("missing.xml")}}", "enabled": false }
              ]
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Fetch_AllFeeds_PrintsOneLinePerFeedAndExits1WhenOneFails()
    {
        var (code, output, _) = await AggregatorProcess.RunAsync(folder.Path, "fetch");

        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("rss2 ", StringComparison.Ordinal) && l.Contains(" new ", StringComparison.Ordinal) && l.Contains("new=3", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("atom ", StringComparison.Ordinal) && l.Contains("new=2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("missing ", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal) && l.Contains("HTTP 404", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("off ", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(folder.Path, "data", ItemStore.FileName)));
    }

    [Fact]
    public async Task Fetch_NamedFeedTwice_IsNotModifiedTheSecondTimeAndExits0()
    {
        await AggregatorProcess.RunAsync(folder.Path, "fetch", "--feed", "rss2");

        var (code, output, _) = await AggregatorProcess.RunAsync(folder.Path, "fetch", "--feed", "rss2");

        Assert.Equal(0, code);
        Assert.Contains("not modified", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_UnknownFeedId_Exits2()
    {
        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "fetch", "--feed", "nope");

        Assert.Equal(2, code);
        Assert.Contains("nope", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchThenExport_WritesAValidCombinedAtomFeed()
    {
        await AggregatorProcess.RunAsync(folder.Path, "fetch");

        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "export", "--format", "atom", "--out", "out.atom", "--limit", "4");

        Assert.True(code == 0, errors);
        var feed = XDocument.Load(folder.File("out.atom")).Root!;
        Assert.Equal("Dépêches de test", feed.Element(Atom + "title")?.Value);
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.StartsWith("urn:uuid:", e.Element(Atom + "id")?.Value, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Element(Atom + "source")?.Element(Atom + "title")?.Value == "Agence RSS");
    }

    [Fact]
    public async Task Export_JsonToStandardOutput_IsJsonFeed()
    {
        await AggregatorProcess.RunAsync(folder.Path, "fetch");

        var (code, output, _) = await AggregatorProcess.RunAsync(folder.Path, "export", "--format", "json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("https://jsonfeed.org/version/1.1", json.RootElement.GetProperty("version").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Export_WithoutFormat_Exits2()
    {
        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "export");

        Assert.Equal(2, code);
        Assert.Contains("--format", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidFile_Exits0()
    {
        var (code, output, _) = await AggregatorProcess.RunAsync(folder.Path, "validate");

        Assert.Equal(0, code);
        Assert.Contains("4 feeds, 3 enabled", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidFile_ListsEveryProblemAndExits2()
    {
        File.WriteAllText(folder.File("bad.json"), """
            {
              "feeds": [
                { "id": "Bad Id", "url": "ftp://x.example/" },
                { "id": "ok", "url": "https://x.example/", "interval": "soon", "colour": "red" }
              ]
            }
            """);

        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "validate", "--config", "bad.json");

        Assert.Equal(2, code);
        Assert.Contains("$.feeds[0].id (line 3)", errors, StringComparison.Ordinal);
        Assert.Contains("$.feeds[0].url (line 3)", errors, StringComparison.Ordinal);
        Assert.Contains("$.feeds[1].interval (line 4)", errors, StringComparison.Ordinal);
        Assert.Contains("$.feeds[1].colour (line 4)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_WhileAnotherProcessHoldsTheData_IsRefusedWithExit3()
    {
        using var holder = ItemStore.Open(Path.Combine(folder.Path, "data"), TimeProvider.System);

        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "fetch");

        Assert.Equal(3, code);
        Assert.Contains("in use by another Aggregator process", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_SmallRun_WarmsUpThenReportsEveryPassWithItsCounts()
    {
        var (code, output, errors) = await AggregatorProcess.RunAsync(folder.Path, "bench", "--feeds", "3", "--items", "4");

        Assert.True(code == 0, errors);
        var rows = output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(rows, r => r is ["warm-up", "round", "1:", ..]);
        var passes = rows.Where(r => r is ["all" or "steady", ..] && r.Length >= 15).Select(r => string.Join(" ", r[..^10])).ToList();
        Assert.Equal(["all new 3 12 12 0", "steady 3 12 3 0", "steady 3 12 3 0", "steady 3 12 3 0", "all 304 3 0 0 0", "all 304 3 0 0 0", "all 304 3 0 0 0"], passes);
        Assert.Contains("store: 21 items", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_Store_StartsFromACopyOfTheStoreAndLeavesItAsItWas()
    {
        await AggregatorProcess.RunAsync(folder.Path, "fetch");
        var data = Path.Combine(folder.Path, "data");
        var before = await File.ReadAllBytesAsync(Path.Combine(data, ItemStore.FileName), TestContext.Current.CancellationToken);

        var (code, output, errors) = await AggregatorProcess.RunAsync(folder.Path, "bench", "--feeds", "2", "--items", "4", "--rounds", "1", "--store", "data");

        Assert.True(code == 0, errors);
        var copied = output.Split('\n').Single(l => l.StartsWith("store copied: ", StringComparison.Ordinal));
        var stored = int.Parse(copied.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(stored > 0, copied);
        Assert.Contains("in the near-duplicate window", copied, StringComparison.Ordinal);

        // 8 new items in the all-new pass, 2 in the steady one, on top of the copy's.
        Assert.Contains($"store: {stored + 10} items", output, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(data, ItemStore.FileName), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Bench_StoreOfAFolderInUse_IsRefusedWithExit3()
    {
        await AggregatorProcess.RunAsync(folder.Path, "fetch");
        using var holder = ItemStore.Open(Path.Combine(folder.Path, "data"), TimeProvider.System);

        var (code, output, errors) = await AggregatorProcess.RunAsync(folder.Path, "bench", "--feeds", "2", "--items", "4", "--store", "data");

        Assert.Equal(3, code);
        Assert.Contains("in use by another Aggregator process", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("warm-up", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_StoreOfAFolderWithoutOne_IsRefusedWithExit2()
    {
        Directory.CreateDirectory(folder.File("empty"));

        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "bench", "--feeds", "2", "--items", "4", "--store", "empty");

        Assert.Equal(2, code);
        Assert.Contains("has no aggregator.db", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_Rounds_RunsThatManySteadyAndAll304Passes()
    {
        var (code, output, errors) = await AggregatorProcess.RunAsync(folder.Path, "bench", "--feeds", "2", "--items", "4", "--rounds", "5");

        Assert.True(code == 0, errors);
        var rows = output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(5, rows.Count(r => r is ["steady", "2", ..] && r.Length >= 14));
        Assert.Equal(5, rows.Count(r => r is ["all", "304", "2", ..] && r.Length >= 14));
        Assert.Contains("store: 18 items", output, StringComparison.Ordinal);
    }
}
