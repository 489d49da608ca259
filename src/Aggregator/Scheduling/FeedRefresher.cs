using System.Diagnostics;
using Aggregator.Cleaning;
using Aggregator.Configuration;
using Aggregator.Deduplication;
using Aggregator.Fetching;
using Aggregator.Parsing;
using Aggregator.Storage;

namespace Aggregator.Scheduling;

/// <summary>
/// One refresh of one feed, top to bottom: load its state, conditional GET, parse, clean, store the items,
/// record the outcome. Used by the scheduled job and by the <c>fetch</c> command alike.
/// </summary>
internal sealed class FeedRefresher(
    FeedFetcher fetcher,
    HtmlCleaner cleaner,
    StoryDeduplicator deduplicator,
    ItemStore store,
    ActiveConfig config,
    TimeProvider time,
    ILogger<FeedRefresher> logger)
{
    public async Task<RefreshOutcome> RefreshAsync(FeedConfig feed, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var state = store.GetState(feed.Id);
        RefreshOutcome outcome;
        try
        {
            var fetched = await fetcher.FetchAsync(feed, new CacheValidators(state.ETag, state.LastModified), cancellationToken);
            outcome = fetched switch
            {
                FetchResult.NotModified => Outcome(feed, RefreshKind.NotModified, new UpsertResult(0, 0, 0), started),
                FetchResult.Failed failed => Outcome(feed, RefreshKind.Failed, new UpsertResult(0, 0, 0), started, failed.Reason),
                FetchResult.Fetched document => Store(feed, state, document, started),
                _ => throw new UnreachableException(),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A fault of ours or of a library: recorded on this feed, never allowed to stop the others.
            logger.LogError(e, "Refresh of {FeedId} crashed", feed.Id);
            outcome = Outcome(feed, RefreshKind.Failed, new UpsertResult(0, 0, 0), started, $"internal error: {e.Message}");
        }

        Record(state, outcome);
        Log(feed, outcome);
        return outcome;
    }

    private RefreshOutcome Store(FeedConfig feed, FeedState state, FetchResult.Fetched document, long started)
    {
        var parseResult = FeedParser.Parse(document.Text, document.FinalUrl);
        if (parseResult is ParseResult.Failed failed)
        {
            return Outcome(feed, RefreshKind.Failed, new UpsertResult(0, 0, 0), started, failed.Reason);
        }

        var parsed = ((ParseResult.Parsed)parseResult).Feed;
        var candidates = parsed.Items.Select(item => Candidate(feed, item)).ToList();
        var result = store.Upsert(feed.Id, candidates, deduplicator, PriorityOf);
        state.ETag = document.ETag;
        state.LastModified = document.LastModified;
        state.SourceTitle = parsed.Title;
        state.SourceLink = parsed.Link?.AbsoluteUri;
        var kind = result.New > 0 ? RefreshKind.New : result.Updated > 0 ? RefreshKind.Updated : RefreshKind.Unchanged;
        return Outcome(feed, kind, result, started);
    }

    private ItemCandidate Candidate(FeedConfig feed, ParsedItem item)
    {
        var body = cleaner.Clean(item.BodyHtml, item.BodyBase, feed.Clean);
        return new ItemCandidate(
            ItemIdentity.Of(item),
            item.Link is null ? null : LinkCanonicalizer.Canonicalize(item.Link),
            item.Title,
            item.Author,
            item.Categories,
            item.Enclosures.Select(e => new StoredEnclosure { Url = e.Url.AbsoluteUri, MediaType = e.MediaType, Length = e.Length }).ToList(),
            body.Html,
            body.Text,
            item.Published?.UtcDateTime,
            item.Updated?.UtcDateTime);
    }

    private int PriorityOf(string feedId) => config.Current.Feeds.FirstOrDefault(f => f.Id == feedId)?.Priority ?? 0;

    private void Record(FeedState state, RefreshOutcome outcome)
    {
        var now = time.GetUtcNow().UtcDateTime;
        state.LastAttempt = now;
        if (outcome.Kind == RefreshKind.Failed)
        {
            state.LastFailure = now;
            state.LastError = outcome.Reason;
            state.ConsecutiveFailures++;
        }
        else
        {
            state.LastSuccess = now;
            state.ConsecutiveFailures = 0;
        }

        store.SaveState(state);
    }

    private void Log(FeedConfig feed, RefreshOutcome outcome)
    {
        var elapsedMs = (long)outcome.Duration.TotalMilliseconds;
        if (outcome.Kind == RefreshKind.Failed)
        {
            logger.LogWarning(
                "Fetched {FeedId}: {Outcome} in {ElapsedMs} ms: {Reason} ({Url})",
                feed.Id, outcome.KindText, elapsedMs, outcome.Reason, feed.Url);
        }
        else
        {
            logger.LogInformation(
                "Fetched {FeedId}: {Outcome}, {New} new, {Updated} updated, {Unchanged} unchanged in {ElapsedMs} ms",
                feed.Id, outcome.KindText, outcome.New, outcome.Updated, outcome.Unchanged, elapsedMs);
        }
    }

    private static RefreshOutcome Outcome(FeedConfig feed, RefreshKind kind, UpsertResult result, long started, string? reason = null) =>
        new(feed.Id, kind, result.New, result.Updated, result.Unchanged, Stopwatch.GetElapsedTime(started), reason);
}
