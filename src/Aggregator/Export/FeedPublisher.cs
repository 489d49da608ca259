using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>
/// Watches the store and, once a change has settled, rewrites the static export (output.directory) and pings the
/// WebSub hub (output.hub). Runs in the background of serve: a failure is logged and retried at the next change.
/// </summary>
internal sealed partial class FeedPublisher(ItemStore store, ActiveConfig config, StaticExporter files, HubNotifier hub, TimeProvider time, ILogger<FeedPublisher> logger)
    : BackgroundService
{
    /// <summary>How often the store's change counter is read.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    // A batch of refreshes moves the counter several times in a row: publish once it stands still for a poll,
    // or after this many polls at the latest so that a busy store still gets published.
    private const int MaxPollsDeferred = 10;

    private (long Version, AggregatorConfig? Config) published = (-1, null);
    private long seen = -1;
    private int deferred;

    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>One poll: publishes when the store or configuration changed and the change has settled; true when it published.</summary>
    public async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        var version = store.Version;
        var active = config.Current;
        if (version == published.Version && ReferenceEquals(active, published.Config))
        {
            return false;
        }

        var settled = version == seen || published.Config is null || ++deferred >= MaxPollsDeferred;
        seen = version;
        if (!settled)
        {
            return false;
        }

        await PublishAsync(active, cancellationToken);
        published = (version, active);
        deferred = 0;
        return true;
    }

    /// <summary>Writes the files, then pings the hub: a subscriber the hub notifies must find the new files there.</summary>
    public async Task PublishAsync(AggregatorConfig active, CancellationToken cancellationToken)
    {
        if (active.Output.Directory is { } directory)
        {
            try
            {
                var written = files.WriteAll(directory);
                LogWritten(written, Path.GetFullPath(directory));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(e, Path.GetFullPath(directory));
            }
        }

        if (active.Output.Hub is { } hubUrl)
        {
            Uri[] feeds = [.. Enum.GetValues<ExportFormat>().Select(f => new Uri(active.Output.Link, FeedFormats.FileName(f)))];
            await hub.PublishAsync(hubUrl, feeds, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stoppingToken);
                await Task.Delay(PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Static export: {Written} files written to {Directory}")]
    private partial void LogWritten(int written, string directory);

    [LoggerMessage(LogLevel.Error, "Static export to {Directory} failed")]
    private partial void LogWriteFailed(Exception exception, string directory);
}
