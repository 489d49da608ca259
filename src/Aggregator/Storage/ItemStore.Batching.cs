using System.Runtime.ExceptionServices;
using LiteDB;

namespace Aggregator.Storage;

/// <summary>
/// A candidate's stable id and digests, and for one the index does not know as unchanged, its packed bodies and
/// the matcher's fingerprint: all computed on the caller's thread, so the single writer only does LiteDB's part.
/// </summary>
internal sealed record PreparedCandidate(string Id, string ContentHash, ulong Digest, PackedBodies? Packed = null, object? MatchKey = null);

/// <summary>A write waiting for its turn: one feed's items, or its state.</summary>
internal sealed record PendingUpsert(string FeedId, IReadOnlyList<ItemCandidate> Candidates, IStoryMatcher? Matcher, Func<string, int>? PriorityOf)
{
    public FeedState? State { get; init; }

    /// <summary>Per candidate, what was worked out before the write lock (see <see cref="ItemStore"/>'s Prepare).</summary>
    public IReadOnlyList<PreparedCandidate>? Prepared { get; init; }

    public UpsertResult? Result { get; set; }

    public Exception? Error { get; set; }
}

internal sealed partial class ItemStore
{
    private readonly Lock pendingLock = new();
    private readonly List<PendingUpsert> pending = [];

    // The turn to write, awaited: a feed waiting for the writer holds no thread. Blocking on the write lock held a
    // pool thread per waiting feed, and on two cores the pool starved the parsing and cleaning of the others.
    private readonly SemaphoreSlim writeTurn = new(1, 1);

    /// <summary>
    /// Group commit: the caller whose turn comes writes every batch queued meanwhile in one transaction, and the
    /// others find theirs done when theirs comes. LiteDB pays per commit, not per document, so concurrent feeds
    /// share one; each transaction runs synchronously on one thread, as LiteDB transactions require.
    /// </summary>
    private async Task<UpsertResult> WriteAsync(PendingUpsert upsert)
    {
        lock (pendingLock)
        {
            pending.Add(upsert);
        }

        await writeTurn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (upsert.Result is null && upsert.Error is null)
            {
                List<PendingUpsert> group;
                lock (pendingLock)
                {
                    group = [.. pending];
                    pending.Clear();
                }

                lock (writeLock)
                {
                    WriteGroup(group);
                }
            }
        }
        finally
        {
            writeTurn.Release();
        }

        if (upsert.Error is not null)
        {
            ExceptionDispatchInfo.Throw(upsert.Error);
        }

        return upsert.Result!;
    }

    private void WriteGroup(List<PendingUpsert> group)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var matcher in group.Select(u => u.Matcher).OfType<IStoryMatcher>().Distinct())
        {
            try
            {
                matcher.Warm();
            }
            catch (Exception e)
            {
                // Its feeds fail; the others of the group are written without them.
                foreach (var upsert in group.Where(u => u.Matcher == matcher))
                {
                    upsert.Error = e;
                }
            }
        }

        group = [.. group.Where(u => u.Error is null)];
        if (group.Count == 0)
        {
            return;
        }

        database.BeginTrans();
        try
        {
            foreach (var upsert in group)
            {
                upsert.Result = Apply(upsert, now);
            }

            database.Commit();
        }
        catch (Exception e)
        {
            database.Rollback();
            ForgetIdentities();
            if (group.Count == 1)
            {
                group[0].Result = null;
                group[0].Error = e;
                return;
            }

            // One feed's fault must not fail the feeds that shared its transaction: each is written again alone.
            foreach (var upsert in group)
            {
                upsert.Result = null;
                WriteGroup([upsert]);
            }

            return;
        }

        if (group.Any(u => u.Result!.New + u.Result.Updated > 0))
        {
            Interlocked.Increment(ref version);
        }
    }
}
