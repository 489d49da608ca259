using System.Text.Json;
using Aggregator.Hosting;
using Aggregator.Observability;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Observability;

/// <summary>The JSON console format as an operator turns it on, read from the real process's standard output.</summary>
public sealed class LogFormatTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
            app.MapGet("/rss2.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml")));
        File.WriteAllText(folder.File("feeds.json"), $$"""{ "feeds": [ { "id": "rss2", "url": "{{server.Url("rss2.xml")}}" } ] }""");
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        folder.Dispose();
    }

    /// <summary>Serves until the fetch is logged, stops, and returns every line of standard output.</summary>
    private async Task<string[]> ServeUntilFetchedAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = AggregatorProcess.Start(folder.Path, environment, ["serve", "--urls", $"http://127.0.0.1:{AggregatorProcess.FreePort()}", .. args]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!process.Output.Contains("Fetched rss2", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the fetch was never logged. Output:\n{process.Output}\nErrors:\n{process.Errors}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        process.Terminate();
        await process.WaitAsync(TimeSpan.FromSeconds(60));
        return process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static void AssertJsonLines(string[] lines)
    {
        Assert.NotEmpty(lines);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var fetched = Assert.Single(events, e => e.GetProperty("Category").GetString() == "Aggregator.Scheduling.FeedRefresher");
        var state = fetched.GetProperty("State");
        Assert.Equal("rss2", state.GetProperty("FeedId").GetString());
        Assert.Equal("new", state.GetProperty("Outcome").GetString());
        Assert.Equal(3, state.GetProperty("New").GetInt32());
        Assert.True(DateTimeOffset.TryParse(fetched.GetProperty("Timestamp").GetString(), out _));
    }

    [Fact]
    public async Task Serve_FormatterNameFromEnvironment_WritesOneJsonObjectPerLine()
    {
        var lines = await ServeUntilFetchedAsync(new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "json" });

        AssertJsonLines(lines);
    }

    [Fact]
    public async Task Serve_LogFormatSwitch_WritesOneJsonObjectPerLine()
    {
        var lines = await ServeUntilFetchedAsync(new Dictionary<string, string>(), "--log-format", "json");

        AssertJsonLines(lines);
    }

    [Fact]
    public async Task Serve_LogFormatVariable_WritesOneJsonObjectPerLine()
    {
        var lines = await ServeUntilFetchedAsync(new Dictionary<string, string> { [LogFormat.EnvironmentVariable] = "json" });

        AssertJsonLines(lines);
    }

    [Fact]
    public async Task Serve_Default_WritesOneLineOfTextPerFetch()
    {
        var lines = await ServeUntilFetchedAsync(new Dictionary<string, string>());

        var fetched = Assert.Single(lines, l => l.Contains("Fetched rss2", StringComparison.Ordinal));
        Assert.Contains("info: Aggregator.Scheduling.FeedRefresher[0] Fetched rss2: new, 3 new", fetched, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownLogFormat_IsAUsageError()
    {
        var cli = CommandLine.Parse(["serve", "--log-format", "xml"]);

        Assert.Equal("--log-format (or AGGREGATOR_LOG_FORMAT) needs simple or json, not 'xml'", cli.Error);
    }
}
