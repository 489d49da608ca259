using Aggregator.Configuration;
using Aggregator.Storage;
using Quartz;

namespace Aggregator.Hosting;

/// <summary>GET /health: the store answers, the scheduler runs, the configuration holds; feeds failing are listed.</summary>
internal static class HealthEndpoint
{
    public static void MapHealth(this IEndpointRouteBuilder app) =>
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
}
