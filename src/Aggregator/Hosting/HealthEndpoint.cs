using Aggregator.Configuration;
using Aggregator.Storage;
using Quartz;

namespace Aggregator.Hosting;

/// <summary>
/// GET /health: the store answers, the scheduler runs, the configuration holds; feeds failing are listed.
/// /health/live and /health/ready split it the way orchestrators probe: is the process up, should it get traffic.
/// </summary>
internal static class HealthEndpoint
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], async (ItemStore store, ActiveConfig config, ISchedulerFactory schedulers, CancellationToken cancellationToken) =>
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var schedulerRunning = scheduler.Status == SchedulerStatus.Running;
            IReadOnlyList<FeedState> states;
            bool storeOpen;
            try
            {
                states = store.AllStates();
                storeOpen = true;
            }
            catch (Exception e) when (e is LiteDB.LiteException or IOException or ObjectDisposedException)
            {
                states = [];
                storeOpen = false;
            }

            var enabled = config.Current.EnabledFeeds.Select(f => f.Id).ToHashSet();
            var failing = states.Where(s => enabled.Contains(s.Id) && s.ConsecutiveFailures > 0)
                .Select(s => new { feed = s.Id, s.ConsecutiveFailures, reason = s.LastError })
                .ToList();
            var healthy = storeOpen && schedulerRunning;
            return Results.Json(
                new
                {
                    status = healthy ? "healthy" : "unhealthy",
                    store = storeOpen ? "open" : "unavailable",
                    scheduler = schedulerRunning ? "running" : "stopped",
                    configuration = config.Path,
                    feeds = enabled.Count,
                    failing,
                },
                statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });

        // Liveness answers from the request pipeline alone, so a slow store or scheduler never gets the process restarted.
        app.MapMethods("/health/live", [HttpMethods.Get, HttpMethods.Head], () => Results.Json(new { status = "alive" }));

        app.MapMethods("/health/ready", [HttpMethods.Get, HttpMethods.Head], async (ItemStore store, ActiveConfig config, ISchedulerFactory schedulers, CancellationToken cancellationToken) =>
        {
            var reasons = new List<string>();
            var storeOpen = IsOpen(store);
            if (!storeOpen)
            {
                reasons.Add("the store is not open");
            }

            var status = await (await schedulers.GetScheduler(cancellationToken)).GetStatus(cancellationToken);
            if (status != SchedulerStatus.Running)
            {
                reasons.Add($"the scheduler is {status.ToString().ToLowerInvariant()}, not running");
            }

            // The service starts only on a valid file and keeps the last good one when an edit is refused,
            // so a refused edit is reported without taking the service out of rotation.
            var refused = config.LastRefused;
            var ready = reasons.Count == 0;
            return Results.Json(
                new
                {
                    status = ready ? "ready" : "not ready",
                    store = storeOpen ? "open" : "unavailable",
                    scheduler = status.ToString().ToLowerInvariant(),
                    configuration = refused is null ? "valid" : "valid; last edit refused, previous configuration in force",
                    reasons,
                },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    private static bool IsOpen(ItemStore store)
    {
        try
        {
            store.GetState("");
            return true;
        }
        catch (Exception e) when (e is LiteDB.LiteException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }
}
