using Aggregator.Configuration;
using Aggregator.Storage;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>The daily purge: items older than the retention setting go, unless their feed still lists them.</summary>
[DisallowConcurrentExecution]
internal sealed class RetentionJob(ItemStore store, ActiveConfig config, TimeProvider time, ILogger<RetentionJob> logger) : IJob
{
    public const string Name = "retention";

    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    /// <summary>Long enough for the first fetches to record what each feed lists, so nothing they still carry is purged.</summary>
    public static readonly TimeSpan StartupDelay = TimeSpan.FromMinutes(2);

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // LiteDB transactions belong to a thread: the purge runs synchronously on the job's thread.
        PurgeExpired();
        return ValueTask.CompletedTask;
    }

    public PurgeResult PurgeExpired()
    {
        var current = config.Current;
        var cutoff = time.GetUtcNow().UtcDateTime - current.Retention;
        var active = current.EnabledFeeds.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var result = store.Purge(cutoff, active, feedId => current.Feeds.FirstOrDefault(f => f.Id == feedId)?.Priority ?? 0);
        logger.LogInformation(
            "Retention purged {Purged} items published before {Cutoff:O}, kept {Kept} still listed by their feed, deleted {StoriesDeleted} stories",
            result.Purged, cutoff, result.Kept, result.StoriesDeleted);
        return result;
    }
}

/// <summary>Puts the retention job on the scheduler: once shortly after start-up, then daily.</summary>
internal sealed class RetentionScheduler(ISchedulerFactory schedulers, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<RetentionJob>().WithIdentity(RetentionJob.Name).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(RetentionJob.Name)
            .StartAt(time.GetUtcNow() + RetentionJob.StartupDelay)
            .WithSimpleSchedule(s => s.WithInterval(RetentionJob.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
