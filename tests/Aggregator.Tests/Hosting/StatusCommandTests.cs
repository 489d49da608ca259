using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Hosting;

/// <summary><c>Aggregator status</c> as an operator runs it: against the running service, and against the store when none runs.</summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/rss2.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml"));
            app.MapGet("/missing.xml", () => Results.NotFound());
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        folder.Dispose();
    }

    private string Feeds(bool withMissing = false) => RunningService.Feeds(
        [
            $$"""{ "id": "rss2", "url": "{{server.Url("rss2.xml")}}" }""",
            $$"""{ "id": "off", "url": "{{server.Url("missing.xml")}}", "enabled": false }""",
            .. withMissing ? [$$"""{ "id": "missing", "url": "{{server.Url("missing.xml")}}" }"""] : Array.Empty<string>(),
        ]);

    private static string[] RowOf(string output, string id) =>
        output.Split('\n').Single(l => l.StartsWith(id + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Status_ServiceRunning_PrintsWhatTheServiceReports()
    {
        using var service = RunningService.Start(folder, Feeds());
        await service.WaitForStatusAsync(s => s.Feeds.Any(f => f.Id == "rss2" && f.ItemsStored == 3), "rss2 was never stored");

        var (code, output, errors) = await AggregatorProcess.RunAsync(folder.Path, "status", "--url", service.BaseUri.AbsoluteUri);

        Assert.True(code == 0, errors);
        Assert.Contains("From the service", output, StringComparison.Ordinal);
        var rss2 = RowOf(output, "rss2");
        Assert.Equal(["rss2", "yes", "15m", "3"], rss2[..4]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d$", rss2[^2]);
        Assert.Equal(["off", "no", "15m", "0"], RowOf(output, "off")[..4]);
    }

    [Fact]
    public async Task Status_NoServiceRunning_ReadsTheStore()
    {
        File.WriteAllText(folder.File("feeds.json"), Feeds());
        await AggregatorProcess.RunAsync(folder.Path, "fetch");

        var (code, output, errors) = await AggregatorProcess.RunAsync(folder.Path, "status", "--url", $"http://127.0.0.1:{AggregatorProcess.FreePort()}");

        Assert.True(code == 0, errors);
        Assert.Contains("No service answered", output, StringComparison.Ordinal);
        var rss2 = RowOf(output, "rss2");
        Assert.Equal(["rss2", "yes", "15m", "3"], rss2[..4]);
        Assert.Equal("-", rss2[^1]);
    }

    [Fact]
    public async Task Status_FeedFailing_ShowsItsErrorAndExits1()
    {
        File.WriteAllText(folder.File("feeds.json"), Feeds(withMissing: true));
        await AggregatorProcess.RunAsync(folder.Path, "fetch");

        var (code, output, _) = await AggregatorProcess.RunAsync(folder.Path, "status", "--url", $"http://127.0.0.1:{AggregatorProcess.FreePort()}");

        Assert.Equal(1, code);
        Assert.Contains("error: HTTP 404", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_NoServiceAndDataFolderInUse_Exits3()
    {
        File.WriteAllText(folder.File("feeds.json"), Feeds());
        using var holder = Aggregator.Storage.ItemStore.Open(folder.File("data"), TimeProvider.System);

        var (code, _, errors) = await AggregatorProcess.RunAsync(folder.Path, "status", "--url", $"http://127.0.0.1:{AggregatorProcess.FreePort()}");

        Assert.Equal(3, code);
        Assert.Contains("No service answered", errors, StringComparison.OrdinalIgnoreCase);
    }
}
