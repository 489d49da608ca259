using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Aggregator.Scheduling;

namespace Aggregator.Configuration;

/// <summary>
/// Applies edits of feeds.json while the service runs: a valid edit goes in force and the schedule follows it,
/// an invalid one is logged with every problem and the last good configuration stays.
/// </summary>
internal sealed class ConfigWatcher(ActiveConfig config, FeedScheduler scheduler, TimeProvider time, ILogger<ConfigWatcher> logger) : BackgroundService
{
    /// <summary>Editors write a file in several steps (truncate, write, rename): wait until they have been quiet this long.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    /// <summary>The file is also re-read this often, for the events a watcher misses (bind mounts, network and overlay file systems).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = Watch();
        // The file may have moved since the command read it: start from what is on disk now.
        await ReloadAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await WaitAsync(PollInterval, stoppingToken))
                {
                    while (await WaitAsync(Debounce, stoppingToken))
                    {
                    }
                }

                await ReloadAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Reads the file and applies it if its content changed. Returns what changed in the schedule, or null when nothing was applied.</summary>
    public async Task<ScheduleChanges?> ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReloadOnceAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The service goes on with what it has; the next change or poll tries again.
            logger.LogError(e, "Reloading {ConfigPath} failed", config.Path);
            return null;
        }
    }

    private async Task<ScheduleChanges?> ReloadOnceAsync(CancellationToken cancellationToken)
    {
        var (text, hash) = Read(config.Path);
        if (hash == config.Hash)
        {
            if (config.LastRefused is not null)
            {
                config.ForgetRefused();
                logger.LogInformation("{ConfigPath} is back to the configuration in force", config.Path);
            }

            return null;
        }

        if (hash == config.LastRefused?.Hash)
        {
            return null;
        }

        var loaded = text is null ? Unreadable(config.Path) : ConfigLoader.Parse(text);
        var now = time.GetUtcNow();
        if (!loaded.IsValid)
        {
            config.Refuse(hash, loaded.Problems, now);
            logger.LogWarning(
                "Edit of {ConfigPath} refused ({ProblemCount} problems); the configuration loaded at {LoadedAt:O} stays in force",
                config.Path, loaded.Problems.Count, config.LoadedAt);
            foreach (var problem in loaded.Problems)
            {
                logger.LogWarning("Refused {ConfigPath}: {ProblemPath} (line {Line}): {Problem}", config.Path, problem.Path, problem.Line, problem.Message);
            }

            return null;
        }

        var firstRead = config.Hash is null;
        var previous = config.Current;
        config.Accept(loaded.Config!, hash, now);
        var changes = await scheduler.ApplyAsync(previous, loaded.Config!, cancellationToken);
        if (!firstRead || !changes.IsEmpty)
        {
            logger.LogInformation(
                "Reloaded {ConfigPath}: {Added} added, {Removed} removed, {Rescheduled} rescheduled, {Changed} changed",
                config.Path, Ids(changes.Added), Ids(changes.Removed), Ids(changes.Rescheduled), Ids(changes.Changed));
        }

        return changes;
    }

    /// <summary>The file's text and the SHA-256 of its bytes; a missing or unreadable file has a null text and a hash of its own.</summary>
    internal static (string? Text, string Hash) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, "unreadable");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes);
        return (text, hash);
    }

    private static ConfigLoadResult Unreadable(string path) => ConfigLoader.Load(path) is { IsValid: false } failed
        ? failed
        : new ConfigLoadResult(null, [new ConfigProblem("$", 0, $"cannot read feeds file {path}")]);

    private static string Ids(IReadOnlyList<string> ids) => ids.Count == 0 ? "0" : $"{ids.Count} ({string.Join(", ", ids)})";

    private FileSystemWatcher? Watch()
    {
        var folder = Path.GetDirectoryName(config.Path);
        var name = Path.GetFileName(config.Path);
        try
        {
            // The folder, not the file: editors and deploy tools replace the file by renaming another over it.
            var watcher = new FileSystemWatcher(string.IsNullOrEmpty(folder) ? "." : folder)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            void OnChange(object? sender, FileSystemEventArgs e)
            {
                if (string.Equals(e.Name, name, StringComparison.Ordinal) || (e is RenamedEventArgs r && string.Equals(r.OldName, name, StringComparison.Ordinal)))
                {
                    changes.Writer.TryWrite(true);
                }
            }

            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Deleted += OnChange;
            watcher.Renamed += (sender, e) => OnChange(sender, e);
            // A watcher that overflows or dies loses events: look at the file now, the poll carries on after.
            watcher.Error += (_, _) => changes.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            logger.LogInformation("Watching {ConfigPath} for changes", config.Path);
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot watch {ConfigPath} ({Reason}); checking it every {PollSeconds} s instead", config.Path, e.Message, PollInterval.TotalSeconds);
            return null;
        }
    }

    /// <summary>True when a change was signalled within <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stoppingToken);
        try
        {
            return await changes.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Registers the watcher of feeds.json for the service.</summary>
internal static class ConfigWatching
{
    public static IServiceCollection AddConfigWatching(this IServiceCollection services)
    {
        // The scheduler is the one AddFeedScheduling registered: one instance applies start-up and every edit.
        services.AddSingleton<ConfigWatcher>();
        services.AddHostedService(s => s.GetRequiredService<ConfigWatcher>());
        return services;
    }
}
