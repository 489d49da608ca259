using Aggregator.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>
/// The Quartz job for one feed: its key's name is the feed id, so a feed never runs twice at once. The trigger
/// fires at the feed's interval; the feed's state decides whether this run fetches (backoff, Retry-After, 410).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class FeedRefreshJob(FeedRefresher refresher, ActiveConfig config) : IJob
{
    public const string Group = "feeds";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var feedId = context.JobDetail.Key.Name;
        var feed = config.Current.EnabledFeeds.FirstOrDefault(f => f.Id == feedId);
        if (feed is not null)
        {
            await refresher.RefreshIfDueAsync(feed, cancellationToken);
        }
    }
}
