using Aggregator.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>Puts one Quartz job per enabled feed on the scheduler: first run at start-up, then every interval.</summary>
internal sealed class FeedScheduler(ISchedulerFactory schedulers, ActiveConfig config, ILogger<FeedScheduler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var feed in config.Current.EnabledFeeds)
        {
            var job = JobBuilder.Create<FeedRefreshJob>().WithIdentity(feed.Id, FeedRefreshJob.Group).StoreDurably().Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(feed.Id, FeedRefreshJob.Group)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(feed.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        }

        logger.LogInformation("Scheduled {FeedCount} feeds", config.Current.EnabledFeeds.Count());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
