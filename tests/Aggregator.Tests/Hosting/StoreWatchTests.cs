using Aggregator.Configuration;
using Aggregator.Hosting;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using LiteDB;

namespace Aggregator.Tests.Hosting;

/// <summary>A store that LiteDB closed after a fatal error stops the service with an exit code supervisors restart on.</summary>
public sealed class StoreWatchTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public void Dispose()
    {
        http.Dispose();
        folder.Dispose();
    }

    /// <summary>What LiteDB does to its engine after a fatal error (a page it cannot read, a write the disk refused): closes it.</summary>
    private static void CloseEngine(ItemStore store)
    {
        var field = typeof(ItemStore).GetField("database", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        ((LiteDatabase)field.GetValue(store)!).Dispose();
    }

    private async Task<bool> AnswersAsync(Uri uri)
    {
        try
        {
            return (await http.GetAsync(uri, TestContext.Current.CancellationToken)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [Fact]
    public void Fault_OpenStore_IsNull_AndAClosedEngine_IsTheFault()
    {
        using var store = ItemStore.Open(folder.File("data"), TimeProvider.System);
        Assert.Null(store.Fault());

        CloseEngine(store);

        Assert.IsType<ObjectDisposedException>(store.Fault());
    }

    [Fact]
    public async Task Serve_StoreClosedByAFatalError_StopsWithExitCode4()
    {
        var feeds = folder.File("feeds.json");
        File.WriteAllText(feeds, RunningService.Feeds("""{ "id": "off", "url": "http://127.0.0.1:9/feed.xml", "enabled": false }"""));
        var config = new ActiveConfig(ConfigLoader.Load(feeds).Config!, feeds);
        var url = $"http://127.0.0.1:{AggregatorProcess.FreePort()}";
        var cli = CommandLine.Parse(["serve", "--config", feeds, "--data", folder.File("data"), "--urls", url]);
        using var store = ItemStore.Open(folder.File("data"), TimeProvider.System);
        var serving = ServeHost.RunAsync(cli, config, store, TextWriter.Null);
        await Eventually.HoldsAsync(() => AnswersAsync(new Uri(url + "/health")), () => "the service never answered /health");

        CloseEngine(store);

        // The watch asks every five seconds; the deadline leaves a slow machine room.
        var code = await serving.WaitAsync(Eventually.Deadline, TestContext.Current.CancellationToken);
        Assert.Equal(Commands.StoreFailed, code);
    }
}
