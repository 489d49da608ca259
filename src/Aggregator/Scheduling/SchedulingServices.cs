using Aggregator.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>Registers Quartz for the feeds: a pool sized to the fetch limit, and a shutdown that lets fetches finish.</summary>
internal static class SchedulingServices
{
    public const int MaxConcurrentFetches = FetchingSettings.DefaultMaxConcurrent;

    /// <summary>Refreshes that parse, clean and pack at once (see <see cref="WorkLimiter"/>): one per core.</summary>
    public static readonly int WorkSlots = Environment.ProcessorCount;

    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(30);

    public static IServiceCollection AddFeedScheduling(this IServiceCollection services, AggregatorConfig config)
    {
        services.AddQuartz(q =>
        {
            // As many threads as fetches may run at once: a job beyond that would only wait in the FetchLimiter.
            // Not fewer when feeds are few: feeds added to feeds.json while the service runs need threads too.
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = config.Fetching.MaxConcurrent);
            // A fetch is bounded by its feed's timeout: let it finish and store its items rather than cut it.
            q.ConfigureScheduler(s => s.ShutdownJobInterruption = ShutdownJobInterruption.Never);
            // A feed waiting for a free slot at start-up is late, not missed: with the default threshold, feeds
            // beyond the pool's size were deemed misfired and skipped to their next interval.
            q.UseInMemoryStore(store => store.MisfireThreshold = MisfireThreshold);
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddSingleton<FeedScheduler>();
        services.AddHostedService(s => s.GetRequiredService<FeedScheduler>());
        services.AddHostedService<RetentionScheduler>();
        return services;
    }
}
