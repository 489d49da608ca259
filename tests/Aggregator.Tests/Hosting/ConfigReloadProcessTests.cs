using System.Net;
using System.Xml.Linq;
using Aggregator.Hosting;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Hosting;

/// <summary>feeds.json edited while the real service runs, as an operator would: the service follows, or refuses and says why.</summary>
public sealed class ConfigReloadProcessTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/a.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml"));
            app.MapGet("/b.xml", () => Results.Bytes(TestData.Bytes("Feeds/atom-xmlbase.xml"), "application/atom+xml"));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        folder.Dispose();
    }

    private string Feed(string id, string interval = "15m", string? url = null) =>
        $$"""{ "id": "{{id}}", "url": "{{url ?? server.Url(id + ".xml").AbsoluteUri}}", "interval": "{{interval}}", "timeout": "20s" }""";

    private static bool Fetched(StatusReport status, string id) => status.Feeds.Any(f => f.Id == id && f.State.LastSuccess is not null);

    [Fact]
    public async Task Reload_FeedAdded_IsFetchedAndTheUnchangedFeedIsNot()
    {
        using var service = RunningService.Start(folder, RunningService.Feeds(Feed("a")));
        await service.WaitForStatusAsync(s => Fetched(s, "a"), "a was never fetched");

        service.Edit(RunningService.Feeds(Feed("a"), Feed("b")));

        await service.WaitForStatusAsync(s => Fetched(s, "b"), "the added feed was never fetched");
        Assert.Equal(1, server.HitsOf("/a.xml"));
        await Eventually.HoldsAsync(() => service.Process.Output.Contains("1 (b) added", StringComparison.Ordinal), "the reload was never logged");
    }

    [Fact]
    public async Task Reload_FeedRemoved_IsUnscheduledAndNoLongerListed()
    {
        using var service = RunningService.Start(folder, RunningService.Feeds(Feed("a"), Feed("b")));
        await service.WaitForStatusAsync(s => Fetched(s, "a") && Fetched(s, "b"), "the feeds were never fetched");

        service.Edit(RunningService.Feeds(Feed("b")));

        var status = await service.WaitForStatusAsync(s => s.Feeds.Count == 1, "the removal was never applied");
        Assert.Equal("b", status.Feeds.Single().Id);
        await Eventually.HoldsAsync(() => service.Process.Output.Contains("1 (a) removed", StringComparison.Ordinal), "the reload was never logged");
        Assert.Equal(1, server.HitsOf("/a.xml"));
        Assert.Equal(1, server.HitsOf("/b.xml"));
    }

    [Fact]
    public async Task Reload_IntervalChanged_MovesTheNextRunFromTheLastRunWithoutFetching()
    {
        using var service = RunningService.Start(folder, RunningService.Feeds(Feed("a", "15m")));
        var before = await service.WaitForStatusAsync(s => Fetched(s, "a") && s.Feeds[0].NextRun is not null, "a was never fetched");

        service.Edit(RunningService.Feeds(Feed("a", "2h")));

        // The configuration goes in force just before the schedule follows it: wait for the reload's log line.
        await Eventually.HoldsAsync(() => service.Process.Output.Contains("1 (a) rescheduled", StringComparison.Ordinal), "the new interval was never applied");
        var after = await service.WaitForStatusAsync(s => s.Feeds[0].Interval == TimeSpan.FromHours(2), "the new interval is not reported");
        // The last run stays where it was: the next one moves by the difference of the intervals.
        Assert.Equal(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(15), after.Feeds[0].NextRun - before.Feeds[0].NextRun);
        Assert.Equal(1, server.HitsOf("/a.xml"));
    }

    [Fact]
    public async Task Reload_InvalidEdit_IsRefusedWithItsPathsWhileTheOldFeedsAreServed()
    {
        using var service = RunningService.Start(folder, RunningService.Feeds(Feed("a")));
        var before = await service.WaitForStatusAsync(s => Fetched(s, "a"), "a was never fetched");

        service.Edit(RunningService.Feeds(Feed("a", url: "ftp://x.example/"), Feed("b", interval: "soon")));

        var status = await service.WaitForStatusAsync(s => s.Configuration.LastRefusedEdit is not null, "the invalid edit was never seen");
        var paths = status.Configuration.LastRefusedEdit!.Problems.Select(p => p.Path).ToList();
        Assert.Contains("$.feeds[0].url", paths);
        Assert.Contains("$.feeds[1].interval", paths);
        Assert.Equal(before.Configuration.Hash, status.Configuration.Hash);
        Assert.Equal(server.Url("a.xml"), status.Feeds.Single().Url);
        await Eventually.HoldsAsync(() => service.Process.Output.Contains("$.feeds[1].interval", StringComparison.Ordinal), "the problems were never logged");
        var feed = XDocument.Parse(await service.Http.GetStringAsync(new Uri(service.BaseUri, "feed.atom"), TestContext.Current.CancellationToken));
        Assert.Equal(3, feed.Root!.Elements(XName.Get("entry", "http://www.w3.org/2005/Atom")).Count());
        using var ready = await service.Http.GetAsync(new Uri(service.BaseUri, "health/ready"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
