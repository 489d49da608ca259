using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>
/// Stops the service when its store has closed for good (<see cref="ItemStore.Fault"/>): a process that can no longer
/// store or serve anything should exit with an error, so that its supervisor (systemd's Restart=on-failure, Docker's
/// restart policy) starts a new one, rather than answer 500 to every request until someone looks.
/// </summary>
internal sealed partial class StoreWatch(ItemStore store, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<StoreWatch> log) : BackgroundService
{
    /// <summary>How often the store is asked: a read of one missing document, a few microseconds.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>Why the store closed, once it has; the service then exits with <see cref="Commands.StoreFailed"/>.</summary>
    public Exception? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Exception? fault;
            try
            {
                fault = store.Fault();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Another error (a lock held through a checkpoint, say): the store is alive.
                StoreDidNotAnswer(log, e);
                continue;
            }

            if (fault is not null)
            {
                Failure = fault;
                StoreClosed(log, fault);
                lifetime.StopApplication();
                return;
            }
        }
    }

    /// <summary>
    /// The store's fault once the service has stopped, or null: a store that closed while the last fetches drained,
    /// or that took another of the service's loops down before the watch's next look, ends the process all the same.
    /// </summary>
    public static Exception? AfterStop(ItemStore store)
    {
        try
        {
            return store.Fault();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store did not answer the watch; asking again in 5 s")]
    private static partial void StoreDidNotAnswer(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The store closed after a fatal error and cannot be read or written again by this process; stopping with exit code 4 so that the supervisor restarts the service")]
    private static partial void StoreClosed(ILogger logger, Exception fault);
}
