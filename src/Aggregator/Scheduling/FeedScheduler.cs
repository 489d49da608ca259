using Aggregator.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>What applying a configuration did to the schedule, by feed id.</summary>
/// <param name="Changed">Feeds whose URL, rules or other settings changed: the next run uses them, nothing is rescheduled.</param>
internal sealed record ScheduleChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Rescheduled, IReadOnlyList<string> Changed)
{
    public bool IsEmpty => Added.Count + Removed.Count + Rescheduled.Count + Changed.Count == 0;
}

/// <summary>
/// Keeps one Quartz job per enabled feed on the scheduler: at start-up every feed runs at once then every interval;
/// on a configuration change only the feeds that changed are touched.
/// </summary>
internal sealed class FeedScheduler(ISchedulerFactory schedulers, ActiveConfig config, ILogger<FeedScheduler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var changes = await ApplyAsync(config.Current with { Feeds = [] }, config.Current, cancellationToken);
        logger.LogInformation("Scheduled {FeedCount} feeds", changes.Added.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Moves the schedule from <paramref name="previous"/> to <paramref name="next"/>: added or re-enabled feeds run
    /// at once, removed or disabled ones are unscheduled (their items stay), a new interval keeps the feed's rhythm,
    /// and feeds whose interval did not change keep their trigger untouched. The jobs read the feed's settings from
    /// <see cref="ActiveConfig.Current"/>, so put <paramref name="next"/> in force before calling this.
    /// </summary>
    public async Task<ScheduleChanges> ApplyAsync(AggregatorConfig previous, AggregatorConfig next, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var before = previous.EnabledFeeds.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var after = next.EnabledFeeds.ToDictionary(f => f.Id, StringComparer.Ordinal);
        List<string> added = [], removed = [], rescheduled = [], changed = [];

        foreach (var id in before.Keys.Where(id => !after.ContainsKey(id)))
        {
            await scheduler.DeleteJob(new JobKey(id, FeedRefreshJob.Group), cancellationToken);
            removed.Add(id);
        }

        foreach (var feed in after.Values)
        {
            var existing = await scheduler.GetTrigger(new TriggerKey(feed.Id, FeedRefreshJob.Group), cancellationToken);
            if (!before.TryGetValue(feed.Id, out var old) || existing is null)
            {
                var job = JobBuilder.Create<FeedRefreshJob>().WithIdentity(feed.Id, FeedRefreshJob.Group).StoreDurably().Build();
                await scheduler.ScheduleJob(job, [Trigger(feed, null, scheduler.TimeProvider)], new ScheduleJobOptions { Replace = true }, cancellationToken);
                added.Add(feed.Id);
            }
            else if (old.Interval != feed.Interval)
            {
                var start = NextInRhythm(existing.PreviousFireTimeUtc, existing.NextFireTimeUtc, feed.Interval, scheduler.TimeProvider.GetUtcNow());
                await scheduler.RescheduleJob(existing.Key, Trigger(feed, start, scheduler.TimeProvider), cancellationToken);
                rescheduled.Add(feed.Id);
            }
            else if (!SameSettings(old, feed))
            {
                changed.Add(feed.Id);
            }
        }

        return new ScheduleChanges(added, removed, rescheduled, changed);
    }

    /// <summary>When each scheduled feed runs next, by feed id; a feed without a trigger is absent.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset?>> NextRunsAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var runs = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var feed in config.Current.EnabledFeeds)
        {
            if (await scheduler.GetTrigger(new TriggerKey(feed.Id, FeedRefreshJob.Group), cancellationToken) is { } trigger)
            {
                runs[feed.Id] = trigger.NextFireTimeUtc;
            }
        }

        return runs;
    }

    /// <summary>
    /// The feed's last run plus the new interval, or the first such step still ahead: a new interval neither
    /// fetches at once nor loses the feed's place. A feed that has not run yet keeps its pending first run.
    /// </summary>
    internal static DateTimeOffset NextInRhythm(DateTimeOffset? lastRun, DateTimeOffset? pendingRun, TimeSpan interval, DateTimeOffset now)
    {
        if (lastRun is not { } last)
        {
            return pendingRun ?? now;
        }

        var steps = now < last ? 0 : (now - last).Ticks / interval.Ticks;
        return last + TimeSpan.FromTicks(interval.Ticks * (steps + 1));
    }

    private static ITrigger Trigger(FeedConfig feed, DateTimeOffset? start, TimeProvider clock)
    {
        var builder = TriggerBuilder.Create(clock)
            .WithIdentity(feed.Id, FeedRefreshJob.Group)
            .ForJob(feed.Id, FeedRefreshJob.Group)
            .WithSimpleSchedule(s => s.WithInterval(feed.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
        return (start is { } at ? builder.StartAt(at) : builder.StartNow()).Build();
    }

    // Records compare lists by reference: two loads of the same file have equal rules in different lists.
    private static bool SameSettings(FeedConfig a, FeedConfig b) =>
        a with { Clean = null } == b with { Clean = null }
        && a.Clean?.Content == b.Clean?.Content
        && (a.Clean?.Remove ?? []).SequenceEqual(b.Clean?.Remove ?? []);
}
