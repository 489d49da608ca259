using System.Security.Cryptography;
using Aggregator.Configuration;
using Aggregator.Hosting;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Configuration;

/// <summary>ConfigWatcher in a host with the real scheduler: edits of a real feeds.json in a temporary folder.</summary>
public sealed class ConfigWatcherTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private FixtureServer server = null!;
    private ItemStore store = null!;
    private IHost? host;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/a.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml"));
            app.MapGet("/b.xml", () => Results.Bytes(TestData.Bytes("Feeds/atom-xmlbase.xml"), "application/atom+xml"));
        });
        store = ItemStore.Open(folder.File("data"), TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        store.Dispose();
        await server.DisposeAsync();
        folder.Dispose();
    }

    private string FeedsPath => folder.File("feeds.json");

    private string Feeds(params string[] ids) =>
        $$"""{ "feeds": [ {{string.Join(", ", ids.Select(id => $$"""{ "id": "{{id}}", "url": "{{server.Url(id + ".xml")}}", "interval": "1h" }"""))}} ] }""";

    private async Task<ActiveConfig> StartAsync(string feedsJson)
    {
        await File.WriteAllTextAsync(FeedsPath, feedsJson, TestContext.Current.CancellationToken);
        var config = new ActiveConfig(ConfigLoader.Load(FeedsPath).Config!, FeedsPath);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAggregatorCore(config, store).AddFeedScheduling(config.Current).AddConfigWatching();
        host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => config.Hash is not null, "the watcher never read the file");
        return config;
    }

    private static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Watch_Start_RecordsTheHashAndTimeOfTheFileInForce()
    {
        var json = Feeds("a");

        var config = await StartAsync(json);

        Assert.Equal(HashOf(json), config.Hash);
        Assert.NotNull(config.LoadedAt);
        Assert.Null(config.LastRefused);
    }

    [Fact]
    public async Task Watch_ValidEdit_IsPutInForceAndItsNewFeedFetched()
    {
        var config = await StartAsync(Feeds("a"));
        var json = Feeds("a", "b");

        await File.WriteAllTextAsync(FeedsPath, json, TestContext.Current.CancellationToken);

        await Eventually.HoldsAsync(() => config.Current.Feeds.Count == 2, "the edit was never applied");
        Assert.Equal(HashOf(json), config.Hash);
        await Eventually.HoldsAsync(() => server.HitsOf("/b.xml") > 0, "the added feed was never fetched");
    }

    [Fact]
    public async Task Watch_FileReplacedByRename_IsPutInForce()
    {
        var config = await StartAsync(Feeds("a"));

        await File.WriteAllTextAsync(folder.File("feeds.json.new"), Feeds("b"), TestContext.Current.CancellationToken);
        File.Move(folder.File("feeds.json.new"), FeedsPath, overwrite: true);

        await Eventually.HoldsAsync(() => config.Current.Feeds.SingleOrDefault()?.Id == "b", "the renamed file was never applied");
    }

    [Fact]
    public async Task Watch_InvalidEdit_IsRefusedWithEveryProblemAndTheOldConfigurationStays()
    {
        var config = await StartAsync(Feeds("a"));
        var inForce = config.Current;
        var hash = config.Hash;

        await File.WriteAllTextAsync(FeedsPath, """{ "feeds": [ { "id": "a", "url": "ftp://x.example/", "colour": "red" } ] }""", TestContext.Current.CancellationToken);

        await Eventually.HoldsAsync(() => config.LastRefused is not null, "the invalid edit was never seen");
        var paths = config.LastRefused!.Problems.Select(p => p.Path).ToList();
        Assert.Contains("$.feeds[0].url", paths);
        Assert.Contains("$.feeds[0].colour", paths);
        Assert.Same(inForce, config.Current);
        Assert.Equal(hash, config.Hash);
    }

    [Fact]
    public async Task Watch_FileRestoredAfterARefusedEdit_ForgetsTheRefusal()
    {
        var json = Feeds("a");
        var config = await StartAsync(json);
        await File.WriteAllTextAsync(FeedsPath, """{ "feeds": [ { "id": "a" } ] }""", TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => config.LastRefused is not null, "the invalid edit was never seen");

        await File.WriteAllTextAsync(FeedsPath, json, TestContext.Current.CancellationToken);

        await Eventually.HoldsAsync(() => config.LastRefused is null, "the refusal outlived the restored file");
        Assert.Equal(HashOf(json), config.Hash);
    }

    [Fact]
    public async Task Watch_FileDeleted_IsRefusedAndTheOldConfigurationStays()
    {
        var config = await StartAsync(Feeds("a"));

        File.Delete(FeedsPath);

        await Eventually.HoldsAsync(() => config.LastRefused is not null, "the deletion was never seen");
        Assert.Contains("not found", config.LastRefused!.Problems.Single().Message, StringComparison.Ordinal);
        Assert.Equal("a", config.Current.Feeds.Single().Id);
    }
}
