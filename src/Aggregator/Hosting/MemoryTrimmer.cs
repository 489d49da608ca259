using System.Diagnostics;
using Aggregator.Observability;
using Microsoft.Extensions.Options;

namespace Aggregator.Hosting;

/// <summary>The "MemoryTrim" settings (appsettings.json, or MemoryTrim__QuietSeconds in the environment).</summary>
internal sealed class MemoryTrimOptions
{
    public const string Section = "MemoryTrim";

    public const int MaxQuietSeconds = 3600;

    /// <summary>How long the service must allocate next to nothing before the collector's spare memory is given back; 0 never.</summary>
    public int QuietSeconds { get; set; } = 5;

    /// <summary>What is wrong with the settings in <paramref name="configuration"/>, or null: read before the host starts, so that serve exits with 2.</summary>
    public static string? Problem(IConfiguration configuration)
    {
        MemoryTrimOptions options;
        try
        {
            options = configuration.GetSection(Section).Get<MemoryTrimOptions>() ?? new MemoryTrimOptions();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the value it could not read as a number.
            return e.Message;
        }

        return options.IsValid ? null : OutOfRange;
    }

    private bool IsValid => QuietSeconds is >= 0 and <= MaxQuietSeconds;

    private static string OutOfRange => $"{Section}:QuietSeconds must be between 0 (never trim) and {MaxQuietSeconds}";
}

/// <summary>Gives the garbage collector's spare memory back to the system once the service goes quiet between polls.</summary>
/// <remarks>
/// The collector keeps its allocation budget and the free space of its last collections committed for work that,
/// between two polls, does not come; an aggressive collection compacts the heap and decommits what it does not use.
/// The same idea as the JVM's periodic G1 collection (JEP 346). Figures in tests/Aggregator.Benchmarks/HISTORY.md.
/// </remarks>
internal sealed class MemoryTrimmer(IOptions<MemoryTrimOptions> options, TimeProvider time, ILogger<MemoryTrimmer> logger, AggregatorMetrics? metrics = null)
    : BackgroundService
{
    /// <summary>Allocation a second that still counts as quiet: timers, a metrics scrape, a health probe.</summary>
    public const long QuietBytesPerSecond = 256 * 1024;

    /// <summary>Allocation since the last trim below which there is too little spare memory to be worth a collection.</summary>
    public const long MinimumBytes = 16 * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var quietSeconds = options.Value.QuietSeconds;
        if (quietSeconds == 0)
        {
            return;
        }

        var trigger = new QuietTrigger(QuietBytesPerSecond * quietSeconds, MinimumBytes);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(quietSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (trigger.IsDue(GC.GetTotalAllocatedBytes()))
                {
                    Trim(quietSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: nothing is left to give back.
        }
    }

    private void Trim(int quietSeconds)
    {
        var before = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var returned = Math.Max(0, before - Environment.WorkingSet);
        metrics?.RecordTrim(returned);
        logger.LogDebug(
            "Quiet for {QuietSeconds} s: returned {ReturnedKB} KB to the system in {ElapsedMs} ms",
            quietSeconds, returned / 1024, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

internal static class MemoryTrimming
{
    /// <summary>The settings are checked before the host is built (<see cref="MemoryTrimOptions.Problem"/>): serve exits with 2 on a bad one.</summary>
    public static IServiceCollection AddMemoryTrimming(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemoryTrimOptions>().Bind(configuration.GetSection(MemoryTrimOptions.Section));
        services.AddHostedService<MemoryTrimmer>();
        return services;
    }
}
