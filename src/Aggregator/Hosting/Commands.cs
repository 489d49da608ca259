using System.Globalization;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Observability;
using Aggregator.Opml;
using Aggregator.Scheduling;
using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>The command-line verbs: serve, fetch, export, validate, stories, status, import-opml, seed, purge, compact.</summary>
internal static class Commands
{
    public const int Ok = 0;
    public const int FeedFailed = 1;
    public const int InvalidInput = 2;
    public const int DataInUse = 3;
    public const int StoreFailed = 4;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var cli = CommandLine.Parse(args);
        if (cli.Error is not null)
        {
            await errors.WriteLineAsync($"error: {cli.Error}\n\n{CommandLine.Usage}");
            return InvalidInput;
        }

        if (cli.Command == "help")
        {
            await output.WriteLineAsync(CommandLine.Usage);
            return Ok;
        }

        // Before the configuration is read: the running service answers with the configuration it has in force.
        if (cli.Command == "status")
        {
            return await StatusCommand.RunAsync(cli, output, errors);
        }

        if (cli.Command == "import-opml")
        {
            return await OpmlImporter.RunAsync(cli.InputPath!, cli.ConfigPath, output, errors);
        }

        if (cli.Command == "compact")
        {
            // Needs only the data folder: a store is compacted even when feeds.json is broken or gone.
            return await CompactAsync(cli, output, errors);
        }

        if (cli.Command == "bench")
        {
            return await BenchCommand.RunAsync(cli, output, errors);
        }

        var loaded = ConfigLoader.Load(cli.ConfigPath);
        if (!loaded.IsValid)
        {
            await errors.WriteLineAsync($"{cli.ConfigPath} is invalid ({loaded.Problems.Count} problem(s)):");
            foreach (var problem in loaded.Problems)
            {
                await errors.WriteLineAsync($"  {problem}");
            }

            return InvalidInput;
        }

        var config = new ActiveConfig(loaded.Config!, Path.GetFullPath(cli.ConfigPath));
        if (cli.Command == "validate")
        {
            var feeds = config.Current.Feeds;
            await output.WriteLineAsync($"{cli.ConfigPath} is valid: {feeds.Count} feeds, {feeds.Count(f => f.Enabled)} enabled.");
            return Ok;
        }

        if (cli.Command == "export" && cli.Directory is null && !FeedFormats.TryParse(cli.Format, out _))
        {
            await errors.WriteLineAsync("error: export needs --format atom, rss or json, or --directory DIR");
            return InvalidInput;
        }

        var unknown = cli.Feeds.Where(id => config.Current.Feeds.All(f => f.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            await errors.WriteLineAsync($"error: no feed with id {string.Join(", ", unknown)} in {cli.ConfigPath}");
            return InvalidInput;
        }

        ItemStore store;
        try
        {
            store = ItemStore.Open(cli.DataDirectory, TimeProvider.System);
        }
        catch (StoreLockedException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}");
            return DataInUse;
        }

        if (cli.Command is "fetch" or "seed")
        {
            // These write bodies, so the store may train its dictionary meanwhile; serve logs the same (ServeHost).
            store.DictionaryFailed += (failure, retrying) => errors.WriteLine(DictionaryLog.Line(failure, retrying));
        }

        using (store)
        {
            return cli.Command switch
            {
                "fetch" => await FetchAsync(cli, config, store, output, errors),
                "export" => await ExportAsync(cli, config, store, output),
                "stories" => await StoriesAsync(cli, config, store, output),
                "seed" => await SeedAsync(cli, config, store, output),
                "purge" => await PurgeAsync(config, store, output),
                _ => await ServeHost.RunAsync(cli, config, store, errors),
            };
        }
    }

    private static async Task<int> FetchAsync(CommandLine cli, ActiveConfig config, ItemStore store, TextWriter output, TextWriter errors)
    {
        await using var services = new ServiceCollection()
            .AddLogging(logging => (cli.LogFormat == LogFormat.Json ? logging.AddJsonConsole(LogFormat.ConfigureJson) : logging.AddSimpleConsole(o => o.SingleLine = true))
                .AddFilter(level => level >= LogLevel.Warning)
                .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddAggregatorCore(config, store)
            .BuildServiceProvider();
        var refresher = services.GetRequiredService<FeedRefresher>();
        var feeds = config.Current.Feeds.Where(f => cli.Feeds.Count > 0 ? cli.Feeds.Contains(f.Id) : f.Enabled).ToList();
        var failures = 0;
        var printLock = new Lock();
        await Parallel.ForEachAsync(
            feeds,
            new ParallelOptions { MaxDegreeOfParallelism = SchedulingServices.MaxConcurrentFetches },
            async (feed, cancellationToken) =>
            {
                var outcome = await refresher.RefreshAsync(feed, cancellationToken);
                lock (printLock)
                {
                    if (outcome.Kind == RefreshKind.Failed)
                    {
                        failures++;
                    }

                    output.WriteLine(FormatOutcome(outcome));
                }
            });
        await errors.FlushAsync();
        return failures > 0 ? FeedFailed : Ok;
    }

    /// <summary>One line per feed: id, outcome, counts, duration, and the reason of a failure.</summary>
    public static string FormatOutcome(RefreshOutcome outcome)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{outcome.FeedId,-20} {outcome.KindText,-12} new={outcome.New} updated={outcome.Updated} unchanged={outcome.Unchanged} {outcome.Duration.TotalMilliseconds,6:0} ms");
        return outcome.Reason is null ? line : $"{line}  {outcome.Reason}";
    }

    /// <summary>Lists merged stories so an admin can see what deduplication did: outlets, times and titles.</summary>
    private static async Task<int> StoriesAsync(CommandLine cli, ActiveConfig config, ItemStore store, TextWriter output)
    {
        var names = config.Current.Feeds.ToDictionary(f => f.Id, f => f.Name);
        var merged = store.StoriesSince(TimeProvider.System.GetUtcNow().UtcDateTime - cli.Since).Where(s => s.ItemIds.Count > 1).ToList();
        foreach (var story in merged)
        {
            var items = story.ItemIds.Select(store.Find).OfType<StoredItem>().OrderBy(i => i.Published).ToList();
            var canonical = items.FirstOrDefault(i => i.Id == story.CanonicalId) ?? items[0];
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{story.Published:yyyy-MM-dd HH:mm}Z  {items.Count} outlets  {canonical.Title}"));
            foreach (var item in items)
            {
                var marker = item.Id == canonical.Id ? "*" : " ";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"   {marker} {names.GetValueOrDefault(item.FeedId, item.FeedId),-24} {item.Published:yyyy-MM-dd HH:mm}Z  {item.Title}  {item.Link}"));
            }
        }

        await output.WriteLineAsync($"{merged.Count} stories carried by more than one outlet since {cli.Since.TotalHours:0.#} h ago.");
        return Ok;
    }

    /// <summary>Synthetic stories for benchmarks and demos, so serving can be measured without fetching anything.</summary>
    private static async Task<int> SeedAsync(CommandLine cli, ActiveConfig config, ItemStore store, TextWriter output)
    {
        var added = new StoreSeeder(store, config.Current, TimeProvider.System).Seed(cli.Limit ?? 100);
        await output.WriteLineAsync($"Seeded {added} new items into {cli.DataDirectory}.");
        return Ok;
    }

    private static async Task<int> PurgeAsync(ActiveConfig config, ItemStore store, TextWriter output)
    {
        var job = new RetentionJob(store, config, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RetentionJob>.Instance);
        var result = job.PurgeExpired();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Purged {result.Purged} items older than {config.Current.Retention.TotalDays:0.#} days; kept {result.Kept} their feed still lists; deleted {result.StoriesDeleted} stories."));
        return Ok;
    }

    private static async Task<int> CompactAsync(CommandLine cli, TextWriter output, TextWriter errors)
    {
        CompactionResult? result;
        try
        {
            result = StoreCompactor.Compact(cli.DataDirectory);
        }
        catch (StoreLockedException e)
        {
            await errors.WriteLineAsync($"error: cannot compact while the store is open. {e.Message}");
            return DataInUse;
        }

        if (result is null)
        {
            await errors.WriteLineAsync($"error: no store to compact in {Path.GetFullPath(cli.DataDirectory)}");
            return InvalidInput;
        }

        foreach (var (name, count) in result.Documents)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {count} documents"));
        }

        if (result.Repacked > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Packed {result.Repacked} bodies again with the store's dictionary."));
        }

        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Compacted {Path.Combine(cli.DataDirectory, ItemStore.FileName)}: {result.BytesBefore} bytes before, {result.BytesAfter} after."));
        return Ok;
    }

    private static async Task<int> ExportAsync(CommandLine cli, ActiveConfig config, ItemStore store, TextWriter output)
    {
        var format = FeedFormats.TryParse(cli.Format, out var parsed) ? parsed : ExportFormat.Atom;
        var exporter = new FeedExporter(store, config, TimeProvider.System);
        if (cli.Directory is not null)
        {
            var page = new HtmlPageCache(exporter, store, config, TimeProvider.System);
            var written = new StaticExporter(exporter, config, [HtmlPageCache.StaticFile(page)]).WriteAll(cli.Directory);
            await output.WriteLineAsync($"{written} files written to {Path.GetFullPath(cli.Directory)}.");
            return Ok;
        }

        var body = exporter.Render(format, cli.Limit);
        if (cli.OutPath is null)
        {
            await output.FlushAsync();
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(body);
            return Ok;
        }

        // Write then rename, so a reader of the file never sees half a feed.
        var temporary = cli.OutPath + ".tmp";
        await File.WriteAllBytesAsync(temporary, body);
        File.Move(temporary, cli.OutPath, overwrite: true);
        return Ok;
    }
}
