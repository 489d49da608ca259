using System.Diagnostics;
using System.Globalization;
using Aggregator.Configuration;
using Aggregator.Deduplication;
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

    public static async Task<int> RunAsync(CommandLine cli, TextWriter output, TextWriter errors)
    {
        if (cli.DataGiven && File.Exists(Path.Combine(cli.DataDirectory, ItemStore.FileName)))
        {
            await errors.WriteLineAsync($"error: bench needs an empty data folder; {cli.DataDirectory} already holds a store");
            return Commands.InvalidInput;
        }

        if (cli.BenchStore is { } source && !File.Exists(Path.Combine(source, ItemStore.FileName)))
        {
            await errors.WriteLineAsync($"error: --store needs a data folder holding a store; {Path.GetFullPath(source)} has no {ItemStore.FileName}");
            return Commands.InvalidInput;
        }

        // Whole hours, so a run's documents are the same bytes from one run to the next within the hour.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var anchor = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        using var collector = new CollectorEvents();
        await using var server = await SyntheticServer.StartAsync(cli.BenchFeeds, cli.BenchItems, Seed, anchor);
        var feeds = Enumerable.Range(0, cli.BenchFeeds).Select(i => new FeedConfig
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"synthetic-{i:0000}"),
            Url = server.FeedUrl(i),
            Name = string.Create(CultureInfo.InvariantCulture, $"Agence synthétique {i}"),
        }).ToList();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench: {feeds.Count} feeds x {cli.BenchItems} items, {server.DocumentBytes(0) / 1024} KB per feed document, {Environment.ProcessorCount} cores, {SchedulingServices.MaxConcurrentFetches} concurrent fetches, {SchedulingServices.WorkSlots} feeds parsed and cleaned at a time"));

        var dataDirectory = cli.DataGiven ? cli.DataDirectory : TemporaryDirectory();
        Directory.CreateDirectory(dataDirectory);
        try
        {
            if (cli.BenchStore is { } from)
            {
                // Before the warm-up: a store in use is refused at once, not minutes later.
                try
                {
                    CopyStore(from, dataDirectory);
                }
                catch (StoreLockedException e)
                {
                    await errors.WriteLineAsync($"error: {e.Message}");
                    return Commands.DataInUse;
                }
            }

            // The first passes in a fresh process run 1.5-2x slower: tiered compilation re-compiles the hot methods
            // (instrumented, then optimised) on a background thread for tens of seconds. A long-running service pays
            // that once, so the passes are measured after warm-up rounds on throwaway stores, until a round compiles
            // little new code.
            await WarmUpAsync(feeds.Take(Math.Min(feeds.Count, 60)).ToList(), server, collector, output);

            using var store = ItemStore.Open(dataDirectory, TimeProvider.System);
            await using var services = Services(feeds, store);
            var refresher = services.GetRequiredService<FeedRefresher>();
            if (cli.BenchStore is not null)
            {
                await ReadStoreAsync(store, services, output);
            }

            var passes = new List<PassResult> { await RunPassAsync("all new", feeds, refresher, server, collector) };
            for (var round = 0; round < cli.BenchRounds; round++)
            {
                server.AdvanceAll();
                passes.Add(await RunPassAsync("steady", feeds, refresher, server, collector));
            }

            for (var round = 0; round < cli.BenchRounds; round++)
            {
                passes.Add(await RunPassAsync("all 304", feeds, refresher, server, collector));
            }

            await Report(output, passes, store, dataDirectory);
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

    /// <summary>
    /// A data folder's store file and its log (committed writes not yet folded in), copied while holding the folder's
    /// lock: a service writing it meanwhile would tear the copy.
    /// </summary>
    private static void CopyStore(string from, string to)
    {
        using var held = StoreLock.Acquire(from);
        var file = Path.Combine(from, ItemStore.FileName);
        File.Copy(file, Path.Combine(to, ItemStore.FileName));
        if (File.Exists(StoreCompactor.LogOf(file)))
        {
            File.Copy(StoreCompactor.LogOf(file), StoreCompactor.LogOf(Path.Combine(to, ItemStore.FileName)));
        }
    }

    /// <summary>
    /// What a service reads once at start-up, read before the passes: the identity index and the near-duplicate
    /// window (tens of seconds at a million items), which the first pass would otherwise pay.
    /// </summary>
    private static async Task ReadStoreAsync(ItemStore store, ServiceProvider services, TextWriter output)
    {
        var started = Stopwatch.GetTimestamp();
        var bytes = store.IdentityIndexSize.Bytes;
        var items = store.CountItems();
        var deduplicator = services.GetRequiredService<StoryDeduplicator>();
        deduplicator.Warm();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"store copied: {items} items, read in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s (identity index {bytes / (1024 * 1024)} MB, {deduplicator.IndexedCount} items in the near-duplicate window)"));
    }

    private static async Task WarmUpAsync(List<FeedConfig> feeds, SyntheticServer server, CollectorEvents collector, TextWriter output)
    {
        const int MaxRounds = 8;
        const double SettledShare = 0.03;
        for (var round = 1; round <= MaxRounds; round++)
        {
            var directory = TemporaryDirectory();
            try
            {
                using var store = ItemStore.Open(directory, TimeProvider.System);
                await using var services = Services(feeds, store);
                var refresher = services.GetRequiredService<FeedRefresher>();
                var allNew = await RunPassAsync("warm-up", feeds, refresher, server, collector);
                server.AdvanceAll();
                var steady = await RunPassAsync("warm-up", feeds, refresher, server, collector);
                var jitShare = (allNew.Jit + steady.Jit) / (allNew.Cpu + steady.Cpu);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"warm-up round {round}: {jitShare:P0} of the CPU compiling methods"));
                if (jitShare < SettledShare)
                {
                    return;
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    // One set of services per store, as in the service, which builds them once.
    private static ServiceProvider Services(List<FeedConfig> feeds, ItemStore store)
    {
        var config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), feeds), "synthetic");
        return new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Warning))
            .AddAggregatorCore(config, store)
            .BuildServiceProvider();
    }

    private static async Task<PassResult> RunPassAsync(string name, List<FeedConfig> feeds, FeedRefresher refresher, SyntheticServer server, CollectorEvents collector)
    {
        server.Prepare();
        int items = 0, added = 0, failed = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var (pausedBefore, allocatedBefore, promotedBefore) = (GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(), collector.PromotedBytes());
        var collectionsBefore = Collections();
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
        var collections = Collections();
        return new PassResult(name, feeds.Count, items, added, failed, elapsed, process.TotalProcessorTime - cpuBefore, System.Runtime.JitInfo.GetCompilationTime() - jitBefore)
        {
            GcPaused = GC.GetTotalPauseDuration() - pausedBefore,
            Gen0 = collections.Gen0 - collectionsBefore.Gen0,
            Gen1 = collections.Gen1 - collectionsBefore.Gen1,
            Gen2 = collections.Gen2 - collectionsBefore.Gen2,
            Promoted = collector.PromotedBytes() - promotedBefore,
            Allocated = GC.GetTotalAllocatedBytes() - allocatedBefore,
        };
    }

    /// <summary>Collections so far of each generation alone (a gen1 collection counts in <see cref="GC.CollectionCount"/>(0) too).</summary>
    private static (int Gen0, int Gen1, int Gen2) Collections()
    {
        var (any, gen1Up, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return (any - gen1Up, gen1Up - gen2, gen2);
    }

    private static async Task Report(TextWriter output, List<PassResult> passes, ItemStore store, string dataDirectory)
    {
        await output.WriteLineAsync("pass        feeds   items     new  failed  seconds    items/s  feeds/min  CPU µs/item  CPU µs/feed  JIT ms  GC paused ms  GCs 0/1/2  MB promoted  KB alloc/item");
        foreach (var pass in passes)
        {
            var perItem = pass.Items > 0 ? pass.Cpu.TotalMicroseconds / pass.Items : 0;
            var perFeed = pass.Cpu.TotalMicroseconds / pass.Feeds;
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{pass.Name,-10} {pass.Feeds,6} {pass.Items,7} {pass.New,7} {pass.Failed,7} {pass.Elapsed.TotalSeconds,8:0.00} {pass.Items / pass.Elapsed.TotalSeconds,10:0} {pass.Feeds / pass.Elapsed.TotalMinutes,10:0} {perItem,12:0.0} {perFeed,12:0} {pass.Jit.TotalMilliseconds,7:0} {pass.GcPaused.TotalMilliseconds,13:0} {$"{pass.Gen0}/{pass.Gen1}/{pass.Gen2}",10} {pass.Promoted / (1024.0 * 1024),12:0.0} {(pass.Items > 0 ? pass.Allocated / 1024.0 / pass.Items : 0),14:0.0}"));
        }

        var size = store.Measure();
        var items = Math.Max(1, size.Items);
        var fileBytes = Directory.EnumerateFiles(dataDirectory, "*.db").Sum(f => new FileInfo(f).Length);
        using var process = Process.GetCurrentProcess();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"""
            peak working set: {process.PeakWorkingSet64 / (1024 * 1024)} MB; identity index: {size.IdentityIndexBytes / 1024} KB
            store: {size.Items} items, file {fileBytes / 1024} KB = {fileBytes / items} bytes/item; documents {size.DocumentBytes / items} bytes/item as stored ({(double)fileBytes / Math.Max(1, size.DocumentBytes):0.000}x), {size.UncompressedBytes / items} bytes/item uncompressed
            """));
    }

    private static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "aggregator-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private sealed record PassResult(string Name, int Feeds, int Items, int New, int Failed, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan Jit)
    {
        /// <summary>Time the collector held the pipeline's threads; a background collection's own work is not in it.</summary>
        public TimeSpan GcPaused { get; init; }

        public int Gen0 { get; init; }

        public int Gen1 { get; init; }

        public int Gen2 { get; init; }

        /// <summary>Bytes the pass's collections promoted out of gen0 and gen1 (<see cref="CollectorEvents"/>): what they copied.</summary>
        public long Promoted { get; init; }

        /// <summary>Bytes the whole process allocated during the pass (the server's sends included; its documents are rendered before).</summary>
        public long Allocated { get; init; }
    }
}
