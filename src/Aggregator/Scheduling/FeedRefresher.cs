using System.Diagnostics;
using Aggregator.Cleaning;
using Aggregator.Configuration;
using Aggregator.Deduplication;
using Aggregator.Fetching;
using Aggregator.Observability;
using Aggregator.Parsing;
using Aggregator.Storage;

namespace Aggregator.Scheduling;

/// <summary>
/// One refresh of one feed, top to bottom: load its state, conditional GET, parse, clean, store the items,
/// record the outcome and when the feed may be asked again. Used by the scheduled job and by the <c>fetch</c> command.
/// </summary>
internal sealed class FeedRefresher(
    FeedFetcher fetcher,
    HtmlCleaner cleaner,
    StoryDeduplicator deduplicator,
    ItemStore store,
    ActiveConfig config,
    FetchPolicy policy,
    TimeProvider time,
    ILogger<FeedRefresher> logger,
    SeenItemTexts seenItems,
    WorkLimiter workLimiter,
    AggregatorMetrics? metrics = null)
{
    /// <summary>A manual refresh (the <c>fetch</c> command): backoff is ignored, but a gone feed is not asked.</summary>
    public async Task<RefreshOutcome> RefreshAsync(FeedConfig feed, CancellationToken cancellationToken)
    {
        var state = store.GetState(feed.Id);
        var plan = FetchPolicy.Plan(feed, state, time.GetUtcNow().UtcDateTime, manual: true);
        if (plan.Url is null)
        {
            logger.LogWarning("Skipped {FeedId}: {Reason}", feed.Id, plan.SkipReason);
            return new RefreshOutcome(feed.Id, RefreshKind.Failed, 0, 0, 0, TimeSpan.Zero, plan.SkipReason);
        }

        return await RefreshAsync(feed, state, plan.Url, cancellationToken);
    }

    /// <summary>A scheduled refresh: does nothing (null) while the feed's state says not yet.</summary>
    public async Task<RefreshOutcome?> RefreshIfDueAsync(FeedConfig feed, CancellationToken cancellationToken)
    {
        var state = store.GetState(feed.Id);
        var plan = FetchPolicy.Plan(feed, state, time.GetUtcNow().UtcDateTime, manual: false);
        if (plan.Url is null)
        {
            logger.LogDebug("Skipped {FeedId}: {Reason}", feed.Id, plan.SkipReason);
            return null;
        }

        return await RefreshAsync(feed, state, plan.Url, cancellationToken);
    }

    private async Task<RefreshOutcome> RefreshAsync(FeedConfig feed, FeedState state, Uri url, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var startedAt = time.GetUtcNow().UtcDateTime;
        if (url != feed.Url)
        {
            logger.LogWarning("Feed {FeedId} moved permanently from {Url} to {MovedTo}: fetching the new address; update its url in feeds.json", feed.Id, feed.Url, url);
        }

        FetchResult? fetched = null;
        RefreshOutcome outcome;
        var bytes = 0L;
        try
        {
            fetched = await fetcher.FetchAsync(feed, url, new CacheValidators(state.ETag, state.LastModified), cancellationToken);
            bytes = (fetched as FetchResult.Fetched)?.Bytes ?? 0;
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

        await RecordAsync(feed, state, outcome, fetched, startedAt);
        Log(feed, outcome);
        metrics?.Record(outcome, bytes);
        return outcome;
    }

    /// <summary>Items whose cleaned body is shorter than this are summaries: a fullText feed fetches their page.</summary>
    public const int FullTextBelowChars = 600;

    /// <summary>Pages fetched per refresh at most, one after the other, to stay polite to the outlet.</summary>
    public const int MaxPagesPerRefresh = 20;

    private async Task<RefreshOutcome> StoreAsync(FeedConfig feed, FeedState state, FetchResult.Fetched document, long started, CancellationToken cancellationToken)
    {
        WorkLimiter.Lease lease;
        try
        {
            lease = await workLimiter.EnterAsync(cancellationToken);
        }
        catch
        {
            document.Body.Dispose();
            throw;
        }

        // The slot is held from the parse until the batch is handed to the store, which packs it and queues it for
        // the writer before returning (and writes the queue itself when the writer is free), and is left while a
        // page is fetched. Only while a body dictionary is trained does the packing wait, outside the slot.
        ParsedFeed parsed;
        ParsedItem?[] items;
        int cleaned;
        Task<UpsertResult> writing;
        try
        {
            var (reading, parseResult) = Parse(feed, document);
            if (parseResult is ParseResult.Failed failed)
            {
                return Outcome(feed, RefreshKind.Failed, new UpsertResult(0, 0, 0), started, failed.Reason);
            }

            // The items go to the cleaning, which lets go of each (its raw body above all) once cleaned: held through
            // the cleaning of the whole feed, they were copied by every young collection meanwhile. The feed keeps its
            // own fields and how many items it had.
            var whole = ((ParseResult.Parsed)parseResult).Feed;
            (items, parsed) = (whole.Items.ToArray<ParsedItem?>(), whole with { Items = [] });
            (var candidates, cleaned) = await CandidatesAsync(feed, items, lease, cancellationToken);
            seenItems.Learn(feed, reading, items.Length, parsed.ItemContext, candidates);
            writing = store.UpsertAsync(feed.Id, reading.InOrder(candidates), deduplicator, PriorityOf);
        }
        finally
        {
            lease.Dispose();
        }

        var result = await writing;
        state.ETag = document.ETag;
        state.LastModified = document.LastModified;
        state.SourceTitle = parsed.Title;
        state.SourceLink = parsed.Link?.AbsoluteUri;
        state.HintMinutes = parsed.UpdateHint is { } hint ? (int)Math.Ceiling(Math.Min(hint.TotalMinutes, int.MaxValue)) : null;
        var kind = result.New > 0 ? RefreshKind.New : result.Updated > 0 ? RefreshKind.Updated : RefreshKind.Unchanged;
        return Outcome(feed, kind, result, started) with { Read = cleaned, Parsed = items.Length };
    }

    /// <summary>
    /// The items whose text was read at the last fetch are left out of what is parsed (see SeenItemTexts); when
    /// what is left does not parse as expected, the document is parsed whole, as it always was before.
    /// </summary>
    private (ItemReading Reading, ParseResult Result) Parse(FeedConfig feed, FetchResult.Fetched document)
    {
        try
        {
            var reading = seenItems.Plan(feed, document.Body, document.FinalUrl);
            var parseResult = FeedParser.Parse(reading.Text, document.FinalUrl);
            if (reading.LeavesOut && (parseResult is not ParseResult.Parsed { Feed: var partial } || !reading.Fits(partial)))
            {
                reading = reading with { Text = document.Body.Text, Unread = new ItemCandidate?[reading.Unread.Length] };
                parseResult = FeedParser.Parse(document.Body.Text, document.FinalUrl);
            }

            // What follows reads the parsed items only: neither the text parsed nor the document is kept.
            return (reading with { Text = "" }, parseResult);
        }
        finally
        {
            // The fetched bytes go back to the pool now, and the text decoded from them is let go.
            document.Body.Dispose();
        }
    }

    /// <summary>The parsed items cleaned (or left as read before), and how many were cleaned.</summary>
    /// <remarks>Each item is taken out of <paramref name="items"/> as its turn comes: the caller keeps none.</remarks>
    private async Task<(List<ItemCandidate> Candidates, int Cleaned)> CandidatesAsync(FeedConfig feed, ParsedItem?[] items, WorkLimiter.Lease lease, CancellationToken cancellationToken)
    {
        var candidates = new List<ItemCandidate>(items.Length);
        var pagesLeft = MaxPagesPerRefresh;
        var cleaned = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i]!;
            items[i] = null;
            var identity = ItemIdentity.Of(item);
            if (!feed.FullText)
            {
                // An item whose source is the one stored is not cleaned again: it only stays listed.
                var source = SourceDigest.Of(item, feed.Clean);
                var id = ItemIdentity.StableId(feed.Id, identity);
                if (store.HasUnchangedSource(id, source))
                {
                    candidates.Add(Candidate(item, identity, CleanedBody.Empty) with { Id = id, SourceDigest = source, Unread = true });
                    continue;
                }

                cleaned++;
                candidates.Add(Candidate(item, identity, cleaner.Clean(item.BodyHtml, item.BodyBase, feed.Clean)) with { Id = id, SourceDigest = source });
                continue;
            }

            cleaned++;
            var body = cleaner.Clean(item.BodyHtml, item.BodyBase, feed.Clean);
            PageSource? page = null;
            if (item.Link is not null && body.Text.Length < FullTextBelowChars)
            {
                // The identity index knows stored items and purged ones: a new item costs no store lookup, and a
                // purged one (which the store will not take back) is not worth a page request.
                var id = ItemIdentity.StableId(feed.Id, identity);
                var seen = store.Contains(id);
                var known = seen ? store.Find(id) : null;
                var summaryDigest = ItemIdentity.Digest(body.Html);
                if (known?.Page is { } read && (read.SummaryDigest == summaryDigest || pagesLeft == 0))
                {
                    // The summary is the one the stored article replaced (or no page may be read now): it stands.
                    (body, page) = (new CleanedBody(known.BodyHtml, known.BodyText), read);
                }
                else if (pagesLeft > 0 && (known is not null || !seen))
                {
                    pagesLeft--;
                    (body, page) = await FullTextAsync(feed, item.Link, body, summaryDigest, known, lease, cancellationToken);
                }
            }

            candidates.Add(Candidate(item, identity, body) with { Page = page });
        }

        return (candidates, cleaned);
    }

    /// <summary>
    /// The article's main content from its page, when it says more than the feed's summary. A page read before
    /// is asked for with its validators: when it has not changed, the article stored then stands.
    /// </summary>
    private async Task<(CleanedBody Body, PageSource? Page)> FullTextAsync(
        FeedConfig feed, Uri link, CleanedBody summary, string summaryDigest, StoredItem? known, WorkLimiter.Lease lease, CancellationToken cancellationToken)
    {
        var read = known?.Page;
        var validators = read is null ? null : new CacheValidators(read.ETag, read.LastModified);

        // The page is waited for without the work slot; extracting and cleaning it is work again.
        lease.Leave();
        var result = await fetcher.FetchPageAsync(feed, link, validators, cancellationToken);
        try
        {
            await lease.ReturnAsync(cancellationToken);
        }
        catch
        {
            (result as FetchResult.Fetched)?.Body.Dispose();
            throw;
        }

        switch (result)
        {
            case FetchResult.NotModified when known is not null && read is not null:
                return (new CleanedBody(known.BodyHtml, known.BodyText), new PageSource { SummaryDigest = summaryDigest, ETag = read.ETag, LastModified = read.LastModified });
            case FetchResult.Fetched fetched:
                var article = ArticleExtractor.Extract(fetched.Body.Text, feed.Clean);
                fetched.Body.Dispose();
                var body = article is null ? null : cleaner.Clean(article, fetched.FinalUrl);
                var page = new PageSource { SummaryDigest = summaryDigest, ETag = fetched.ETag, LastModified = fetched.LastModified };
                return (body is not null && body.Text.Length > summary.Text.Length ? body : summary, page);
            default:
                logger.LogInformation("Full text of {Link} for {FeedId} not fetched: {Reason}", link, feed.Id, (result as FetchResult.Failed)?.Reason ?? "not modified");

                // An article read before stays; its old summary digest makes the next refresh try again.
                return known?.Page is not null ? (new CleanedBody(known.BodyHtml, known.BodyText), known.Page) : (summary, null);
        }
    }

    private static ItemCandidate Candidate(ParsedItem item, string identity, CleanedBody body)
    {
        return new ItemCandidate(
            identity,
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

    private async Task RecordAsync(FeedConfig feed, FeedState state, RefreshOutcome outcome, FetchResult? fetched, DateTime startedAt)
    {
        var movedBefore = state.MovedTo;
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

        policy.Record(feed, state, fetched, outcome.Kind != RefreshKind.Failed, startedAt, config.Current.Fetching);
        if (state.MovedTo is not null && state.MovedTo != movedBefore)
        {
            logger.LogWarning("Feed {FeedId} moved permanently from {Url} to {MovedTo}: update its url in feeds.json", feed.Id, feed.Url, state.MovedTo);
        }

        if (state.Gone)
        {
            logger.LogWarning("Feed {FeedId} is gone (HTTP 410) at {Url}: not polled again until its entry in feeds.json changes", feed.Id, feed.Url);
        }

        await store.SaveStateAsync(state);
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
        new(feed.Id, kind, result.New, result.Updated, result.Unchanged, Stopwatch.GetElapsedTime(started), reason, result.Merged);
}
