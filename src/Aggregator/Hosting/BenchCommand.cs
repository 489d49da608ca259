using System.Diagnostics;
using System.Globalization;
using Aggregator.Configuration;
using Aggregator.Scheduling;
using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>
/// The end-to-end benchmark: synthetic feeds served from this process on loopback, ingested by the real refresher
/// (HTTP, parse, clean, deduplicate, store) with the real concurrency, in three passes: all new, steady, all 304.
/// </summary>
internal static class BenchCommand
{
    private const int Seed = 20151114;
    private const int Rounds = 3;

    public static async Task<int> RunAsync(CommandLine cli, TextWriter output, TextWriter errors)
    {
        if (cli.DataGiven && File.Exists(Path.Combine(cli.DataDirectory, ItemStore.FileName)))
        {
            await errors.WriteLineAsync($"error: bench needs an empty data folder; {cli.DataDirectory} already holds a store");
            return Commands.InvalidInput;
        }

        // Whole hours, so a run's documents are the same bytes from one run to the next within the hour.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var anchor = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        await using var server = await SyntheticServer.StartAsync(cli.BenchFeeds, cli.BenchItems, Seed, anchor);
        var feeds = Enumerable.Range(0, cli.BenchFeeds).Select(i => new FeedConfig
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"synthetic-{i:0000}"),
            Url = server.FeedUrl(i),
            Name = string.Create(CultureInfo.InvariantCulture, $"Agence synthétique {i}"),
        }).ToList();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench: {feeds.Count} feeds x {cli.BenchItems} items, {server.DocumentBytes(0) / 1024} KB per feed document, {Environment.ProcessorCount} cores, {SchedulingServices.MaxConcurrentFetches} concurrent fetches"));

        // The first pass in a fresh process runs 1.5-2x slower (JIT, pools): warm up on a throwaway store.
        var warmDirectory = TemporaryDirectory();
        try
        {
            using var warmStore = ItemStore.Open(warmDirectory, TimeProvider.System);
            await RunPassAsync("warm-up", feeds.Take(Math.Min(feeds.Count, 60)).ToList(), warmStore, server, TimeSpan.Zero);
        }
        finally
        {
            Directory.Delete(warmDirectory, recursive: true);
        }

        // Rendering the synthetic documents runs in this process too: its CPU is measured once and taken off.
        var renderCpu = server.MeasureRenderCpu();
        var dataDirectory = cli.DataGiven ? cli.DataDirectory : TemporaryDirectory();
        Directory.CreateDirectory(dataDirectory);
        try
        {
            using var store = ItemStore.Open(dataDirectory, TimeProvider.System);
            var passes = new List<PassResult> { await RunPassAsync("all new", feeds, store, server, renderCpu) };
            for (var round = 0; round < Rounds; round++)
            {
                server.AdvanceAll();
                passes.Add(await RunPassAsync("steady", feeds, store, server, renderCpu));
            }

            for (var round = 0; round < Rounds; round++)
            {
                passes.Add(await RunPassAsync("all 304", feeds, store, server, renderCpu));
            }

            await Report(output, passes, store, dataDirectory, renderCpu);
            return passes.Any(p => p.Failed > 0) ? Commands.FeedFailed : Commands.Ok;
        }
        finally
        {
            if (!cli.DataGiven)
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static async Task<PassResult> RunPassAsync(string name, List<FeedConfig> feeds, ItemStore store, SyntheticServer server, TimeSpan renderCpu)
    {
        var config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), feeds), "synthetic");
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Warning))
            .AddAggregatorCore(config, store)
            .BuildServiceProvider();
        var refresher = services.GetRequiredService<FeedRefresher>();
        int items = 0, added = 0, failed = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var rendersBefore = server.Renders;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            feeds,
            new ParallelOptions { MaxDegreeOfParallelism = SchedulingServices.MaxConcurrentFetches },
            async (feed, cancellationToken) =>
            {
                var outcome = await refresher.RefreshAsync(feed, cancellationToken);
                Interlocked.Add(ref items, outcome.New + outcome.Updated + outcome.Unchanged);
                Interlocked.Add(ref added, outcome.New);
                if (outcome.Kind == RefreshKind.Failed)
                {
                    Interlocked.Increment(ref failed);
                }
            });
        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        return new PassResult(name, feeds.Count, items, added, failed, elapsed, process.TotalProcessorTime - cpuBefore, (server.Renders - rendersBefore) * renderCpu);
    }

    private static async Task Report(TextWriter output, List<PassResult> passes, ItemStore store, string dataDirectory, TimeSpan renderCpu)
    {
        await output.WriteLineAsync("pass        feeds   items     new  failed  seconds    items/s  feeds/min  CPU µs/item  CPU µs/feed");
        foreach (var pass in passes)
        {
            var cpu = pass.Cpu - pass.Serving;
            var perItem = pass.Items > 0 ? cpu.TotalMicroseconds / pass.Items : 0;
            var perFeed = cpu.TotalMicroseconds / pass.Feeds;
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{pass.Name,-10} {pass.Feeds,6} {pass.Items,7} {pass.New,7} {pass.Failed,7} {pass.Elapsed.TotalSeconds,8:0.00} {pass.Items / pass.Elapsed.TotalSeconds,10:0} {pass.Feeds / pass.Elapsed.TotalMinutes,10:0} {perItem,12:0.0} {perFeed,12:0}"));
        }

        var size = store.Measure();
        var items = Math.Max(1, size.Items);
        var fileBytes = Directory.EnumerateFiles(dataDirectory, "*.db").Sum(f => new FileInfo(f).Length);
        using var process = Process.GetCurrentProcess();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"""
            CPU excludes rendering the synthetic documents ({renderCpu.TotalMicroseconds:0} µs each, measured alone).
            peak working set: {process.PeakWorkingSet64 / (1024 * 1024)} MB; identity index: {size.IdentityIndexBytes / 1024} KB
            store: {size.Items} items, file {fileBytes / 1024} KB = {fileBytes / items} bytes/item; documents {size.DocumentBytes / items} bytes/item as stored ({(double)fileBytes / Math.Max(1, size.DocumentBytes):0.00}x), {size.UncompressedBytes / items} bytes/item uncompressed
            """));
    }

    private static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "aggregator-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private sealed record PassResult(string Name, int Feeds, int Items, int New, int Failed, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan Serving);
}
