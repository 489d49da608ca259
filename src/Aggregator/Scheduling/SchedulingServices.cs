using Aggregator.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>Registers Quartz for the feeds: a pool sized to them, and a shutdown that lets fetches finish.</summary>
internal static class SchedulingServices
{
    public const int MaxConcurrentFetches = 8;

    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(30);

    public static IServiceCollection AddFeedScheduling(this IServiceCollection services, AggregatorConfig config)
    {
        var feeds = config.EnabledFeeds.Count();
        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Clamp(feeds, 1, MaxConcurrentFetches));
            // A fetch is bounded by its feed's timeout: let it finish and store its items rather than cut it.
            q.ConfigureScheduler(s => s.ShutdownJobInterruption = ShutdownJobInterruption.Never);
            // A feed waiting for a free slot at start-up is late, not missed: with the default threshold, feeds
            // beyond the pool's size were deemed misfired and skipped to their next interval.
            q.UseInMemoryStore(store => store.MisfireThreshold = MisfireThreshold);
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddHostedService<FeedScheduler>();
        services.AddHostedService<RetentionScheduler>();
        return services;
    }
}
