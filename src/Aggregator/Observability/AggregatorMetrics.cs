using System.Diagnostics.Metrics;
using Aggregator.Export;
using Aggregator.Scheduling;
using Aggregator.Storage;

namespace Aggregator.Observability;

/// <summary>The service's own measurements (the "Aggregator" meter): fetches, items, store size, export requests.</summary>
internal sealed class AggregatorMetrics
{
    public const string MeterName = "Aggregator";

    // Fetches take from milliseconds (a 304) to the feed's timeout: the default buckets are made for milliseconds.
    private static readonly double[] DurationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> fetches;
    private readonly Histogram<double> fetchDuration;
    private readonly Counter<long> fetchedBytes;
    private readonly Counter<long> itemsNew;
    private readonly Counter<long> itemsUpdated;
    private readonly Counter<long> itemsMerged;
    private readonly Counter<long> exportRequests;
    private readonly Counter<long> memoryTrims;
    private readonly Counter<long> memoryReturned;

    public AggregatorMetrics(IMeterFactory meters, ItemStore store, string databasePath)
    {
        var meter = meters.Create(MeterName);
        fetches = meter.CreateCounter<long>("aggregator.fetches", description: "Feed refreshes by feed and outcome.");
        fetchDuration = meter.CreateHistogram(
            "aggregator.fetch.duration",
            unit: "s",
            description: "Time one refresh of one feed took: fetch, parse, clean, store.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        fetchedBytes = meter.CreateCounter<long>("aggregator.fetched.bytes", unit: "By", description: "Feed bytes downloaded (304s and failures download none).");
        itemsNew = meter.CreateCounter<long>("aggregator.items.new", description: "Items stored for the first time.");
        itemsUpdated = meter.CreateCounter<long>("aggregator.items.updated", description: "Stored items corrected by their outlet.");
        itemsMerged = meter.CreateCounter<long>("aggregator.items.merged", description: "New items that joined a story another outlet had already told.");
        exportRequests = meter.CreateCounter<long>("aggregator.export.requests", description: "Requests for the combined feed by format and HTTP status.");
        memoryTrims = meter.CreateCounter<long>("aggregator.memory.trims", description: "Times the collector's spare memory was given back once the service went quiet.");
        memoryReturned = meter.CreateCounter<long>("aggregator.memory.returned", unit: "By", description: "Resident memory those trims gave back to the system.");
        meter.CreateObservableGauge("aggregator.store.items", () => FromStore(() => store.CountItems()), description: "Items in the store.");
        // LiteDB writes to its -log file first and folds it into the data file at checkpoints: the disk holds both.
        var logPath = Path.Combine(Path.GetDirectoryName(databasePath) ?? "", Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));
        meter.CreateObservableGauge("aggregator.store.size", () => FileSize(databasePath, logPath), unit: "By", description: "Size of the LiteDB file and its log.");
        meter.CreateObservableGauge("aggregator.store.cache", () => FromStore(() => store.CacheBytes), unit: "By", description: "Memory LiteDB's page cache holds.");
    }

    /// <summary>One refresh of one feed: its outcome, its duration and the bytes it downloaded.</summary>
    public void Record(RefreshOutcome outcome, long bytes)
    {
        var feed = new KeyValuePair<string, object?>("feed", outcome.FeedId);
        fetches.Add(1, feed, new KeyValuePair<string, object?>("outcome", OutcomeTag(outcome.Kind)));
        fetchDuration.Record(outcome.Duration.TotalSeconds, feed);
        fetchedBytes.Add(bytes, feed);
        itemsNew.Add(outcome.New, feed);
        itemsUpdated.Add(outcome.Updated, feed);
        itemsMerged.Add(outcome.Merged, feed);
    }

    /// <summary>One trim of the collector's spare memory, and the resident bytes it gave back.</summary>
    public void RecordTrim(long returnedBytes)
    {
        memoryTrims.Add(1);
        memoryReturned.Add(returnedBytes);
    }

    /// <summary>One request for the combined feed, answered with a status (200, or 304 when the reader's copy holds).</summary>
    // Counted on every poll: the tag values are made once, so a request allocates nothing here.
    private static readonly object Status200 = StatusCodes.Status200OK;
    private static readonly object Status304 = StatusCodes.Status304NotModified;

    public void RecordExport(ExportFormat format, int status) =>
        exportRequests.Add(
            1,
            new KeyValuePair<string, object?>("format", FormatTag(format)),
            new KeyValuePair<string, object?>("status", status switch
            {
                StatusCodes.Status200OK => Status200,
                StatusCodes.Status304NotModified => Status304,
                _ => status,
            }));

    private static string FormatTag(ExportFormat format) => format switch
    {
        ExportFormat.Atom => "atom",
        ExportFormat.Rss => "rss",
        _ => "json",
    };

    public static string OutcomeTag(RefreshKind kind) => kind switch
    {
        RefreshKind.New => "new",
        RefreshKind.Updated => "updated",
        RefreshKind.Unchanged => "unchanged",
        RefreshKind.NotModified => "not_modified",
        _ => "failed",
    };

    private static IEnumerable<Measurement<long>> FromStore(Func<long> read)
    {
        try
        {
            return [new Measurement<long>(read())];
        }
        catch (Exception e) when (e is LiteDB.LiteException or IOException or ObjectDisposedException)
        {
            // A store shutting down or unreadable has no size to report; /health says why.
            return [];
        }
    }

    private static IEnumerable<Measurement<long>> FileSize(string path, string logPath)
    {
        var file = new FileInfo(path);
        var log = new FileInfo(logPath);
        return file.Exists ? [new Measurement<long>(file.Length + (log.Exists ? log.Length : 0))] : [];
    }
}
