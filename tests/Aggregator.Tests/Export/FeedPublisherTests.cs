using System.Collections.Concurrent;
using System.Text.Json;
using System.Xml.Linq;
using Aggregator.Export;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aggregator.Tests.Export;

/// <summary>Publishing after a change: the static export written whole, and a WebSub hub (a Kestrel on 127.0.0.1) pinged.</summary>
public sealed class FeedPublisherTests : IAsyncLifetime
{
    private static readonly string[] FeedFiles = ["feed.atom", "feed.rss", "feed.json"];
    private readonly TempDirectory folder = new();
    private readonly ConcurrentQueue<Dictionary<string, string>> pings = new();
    private FixtureServer? hub;
    private WireFixture? fixture;

    private WireFixture Fixture => fixture!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        hub = await FixtureServer.StartAsync(app => app.MapPost("/hub", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            pings.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            return Results.NoContent();
        }));
        fixture = await WireFixture.StartAsync(o => o with { Directory = folder.Path, Hub = hub.Url("hub") });
    }

    [Fact]
    public void WriteAll_WritesTheFeedsEachCategoryAndTheOpml()
    {
        Exporter().WriteAll(folder.Path);

        string[] expected = [.. FeedFiles, "c/afrique.atom", "c/afrique.rss", "c/afrique.json", "c/amerique-du-nord.atom", "c/amerique-du-nord.rss", "c/amerique-du-nord.json", "feeds.opml"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder.Path, f)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WriteAll_FilesAreCompleteDocuments()
    {
        Exporter().WriteAll(folder.Path);

        var atom = XDocument.Load(folder.File("c/afrique.atom")).Root!;
        Assert.Equal(12, atom.Elements(XName.Get("entry", "http://www.w3.org/2005/Atom")).Count());
        Assert.Equal(20, XDocument.Load(folder.File("feed.rss")).Root!.Element("channel")!.Elements("item").Count());
        using var json = JsonDocument.Parse(File.ReadAllBytes(folder.File("c/amerique-du-nord.json")));
        Assert.Equal(8, json.RootElement.GetProperty("items").GetArrayLength());
        var outlines = XDocument.Load(folder.File("feeds.opml")).Root!.Descendants("outline").Where(o => o.Attribute("xmlUrl") is not null).ToList();
        Assert.Equal(["apa", "qc"], outlines.Select(o => new Uri((string)o.Attribute("xmlUrl")!).Segments[^1]));
    }

    [Fact]
    public void WriteAll_AnExtraStaticFile_IsWrittenToo()
    {
        var exporter = new StaticExporter(Fixture.Pipeline.Exporter, Fixture.Pipeline.Config, [new StaticFile("index.html", () => "<!doctype html><title>x</title>"u8.ToArray())]);

        exporter.WriteAll(folder.Path);

        Assert.Equal("<!doctype html><title>x</title>", File.ReadAllText(folder.File("index.html")));
    }

    [Fact]
    public async Task WriteAll_AfterAChange_ReplacesTheFileWhileAnOpenReaderKeepsTheWholeOldOne()
    {
        Exporter().WriteAll(folder.Path);
        await using var reader = File.OpenRead(folder.File("feed.atom"));
        await Fixture.PublishAsync("apa", "Dépêche du soir", new DateTime(2015, 11, 4, 0, 0, 0, DateTimeKind.Utc));

        Exporter().WriteAll(folder.Path);

        // The new document was moved over the name: the reader's file is the old one, whole, not a mix of both.
        var old = XDocument.Load(reader).Root!;
        Assert.DoesNotContain("Dépêche du soir", old.ToString(), StringComparison.Ordinal);
        Assert.Contains("Dépêche du soir", File.ReadAllText(folder.File("feed.atom")), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void WriteAll_NothingChanged_LeavesTheFilesAlone()
    {
        Exporter().WriteAll(folder.Path);

        var written = Exporter().WriteAll(folder.Path);

        Assert.Equal(0, written);
    }

    [Fact]
    public async Task Poll_AtStart_WritesTheFilesAndPingsTheHubForEachFeed()
    {
        var publisher = Publisher();

        var published = await publisher.PollAsync(Cancel);

        Assert.True(published);
        Assert.True(File.Exists(folder.File("feed.json")));
        Assert.All(pings, p => Assert.Equal("publish", p["hub.mode"]));
        Assert.Equal(FeedFiles.Select(f => "http://localhost:5080/" + f), pings.Select(p => p["hub.url"]));
    }

    [Fact]
    public async Task Poll_StoreUnchanged_PublishesNothing()
    {
        var publisher = Publisher();
        await publisher.PollAsync(Cancel);
        pings.Clear();

        var published = await publisher.PollAsync(Cancel);

        Assert.False(published);
        Assert.Empty(pings);
    }

    [Fact]
    public async Task Poll_AfterAChange_WaitsForOneQuietPollThenPublishesOnce()
    {
        var publisher = Publisher();
        await publisher.PollAsync(Cancel);
        pings.Clear();
        await Fixture.PublishAsync("qc", "Dépêche de Montréal", new DateTime(2015, 11, 4, 0, 0, 0, DateTimeKind.Utc));

        var first = await publisher.PollAsync(Cancel);
        var second = await publisher.PollAsync(Cancel);
        var third = await publisher.PollAsync(Cancel);

        Assert.Equal([false, true, false], [first, second, third]);
        Assert.Equal(3, pings.Count);
        Assert.Contains("Dépêche de Montréal", File.ReadAllText(folder.File("c/amerique-du-nord.rss")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_HubUnreachable_StillWritesTheFilesAndDoesNotThrow()
    {
        Fixture.Pipeline.Config.Current = Fixture.Pipeline.Config.Current with
        {
            Output = Fixture.Pipeline.Config.Current.Output with { Hub = new Uri($"http://127.0.0.1:{AggregatorProcess.FreePort()}/hub") },
        };

        var published = await Publisher().PollAsync(Cancel);

        Assert.True(published);
        Assert.True(File.Exists(folder.File("feed.atom")));
    }

    [Fact]
    public async Task Run_InTheBackground_PingsTheHubAfterAChange()
    {
        var publisher = Publisher();
        publisher.PollInterval = TimeSpan.FromMilliseconds(50);
        await publisher.StartAsync(Cancel);
        await WaitForPingsAsync(3);
        await Fixture.PublishAsync("apa", "Dépêche de Dakar", new DateTime(2015, 11, 4, 0, 0, 0, DateTimeKind.Utc));

        await WaitForPingsAsync(6);
        await publisher.StopAsync(Cancel);

        Assert.Contains("Dépêche de Dakar", File.ReadAllText(folder.File("feed.atom")), StringComparison.Ordinal);
    }

    private StaticExporter Exporter() => new(Fixture.Pipeline.Exporter, Fixture.Pipeline.Config);

    private FeedPublisher Publisher()
    {
        var clients = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var notifier = new HubNotifier(clients, NullLogger<HubNotifier>.Instance);
        return new FeedPublisher(Fixture.Pipeline.Store, Fixture.Pipeline.Config, Exporter(), notifier, TimeProvider.System, NullLogger<FeedPublisher>.Instance);
    }

    /// <summary>Waits (at most 30 s, to fail rather than hang) until the hub has received this many pings.</summary>
    private async Task WaitForPingsAsync(int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (pings.Count < count)
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (fixture is not null)
        {
            await fixture.DisposeAsync();
        }

        if (hub is not null)
        {
            await hub.DisposeAsync();
        }

        folder.Dispose();
    }
}
