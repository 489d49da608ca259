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
                FetchResult.Fetched document => await StoreAsync(feed, state, document, started, cancellationToken),
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

    /// <summary>Items whose cleaned body is shorter than this are summaries: a fullText feed fetches their page.</summary>
    public const int FullTextBelowChars = 600;

    /// <summary>Pages fetched per refresh at most, one after the other, to stay polite to the outlet.</summary>
    public const int MaxPagesPerRefresh = 20;

    private async Task<RefreshOutcome> StoreAsync(FeedConfig feed, FeedState state, FetchResult.Fetched document, long started, CancellationToken cancellationToken)
    {
        var parseResult = FeedParser.Parse(document.Text, document.FinalUrl);
        if (parseResult is ParseResult.Failed failed)
        {
            return Outcome(feed, RefreshKind.Failed, new UpsertResult(0, 0, 0), started, failed.Reason);
        }

        var parsed = ((ParseResult.Parsed)parseResult).Feed;
        var candidates = new List<ItemCandidate>(parsed.Items.Count);
        var pagesLeft = MaxPagesPerRefresh;
        foreach (var item in parsed.Items)
        {
            var body = cleaner.Clean(item.BodyHtml, item.BodyBase, feed.Clean);
            if (feed.FullText && pagesLeft > 0 && item.Link is not null && body.Text.Length < FullTextBelowChars && IsNew(feed, item))
            {
                pagesLeft--;
                body = await FullTextAsync(feed, item.Link, body, cancellationToken);
            }

            candidates.Add(Candidate(item, body));
        }

        var result = store.Upsert(feed.Id, candidates, deduplicator, PriorityOf);
        state.ETag = document.ETag;
        state.LastModified = document.LastModified;
        state.SourceTitle = parsed.Title;
        state.SourceLink = parsed.Link?.AbsoluteUri;
        var kind = result.New > 0 ? RefreshKind.New : result.Updated > 0 ? RefreshKind.Updated : RefreshKind.Unchanged;
        return Outcome(feed, kind, result, started);
    }

    private bool IsNew(FeedConfig feed, ParsedItem item) => !store.Contains(ItemIdentity.StableId(feed.Id, ItemIdentity.Of(item)));

    /// <summary>The article's main content from its page, when it says more than the feed's summary.</summary>
    private async Task<CleanedBody> FullTextAsync(FeedConfig feed, Uri link, CleanedBody summary, CancellationToken cancellationToken)
    {
        var page = await fetcher.FetchPageAsync(feed, link, null, cancellationToken);
        if (page is not FetchResult.Fetched fetched)
        {
            logger.LogInformation("Full text of {Link} for {FeedId} not fetched: {Reason}", link, feed.Id, (page as FetchResult.Failed)?.Reason);
            return summary;
        }

        var article = ArticleExtractor.Extract(fetched.Text, feed.Clean);
        var body = article is null ? null : cleaner.Clean(article, fetched.FinalUrl);
        return body is not null && body.Text.Length > summary.Text.Length ? body : summary;
    }

    private static ItemCandidate Candidate(ParsedItem item, CleanedBody body)
    {
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
