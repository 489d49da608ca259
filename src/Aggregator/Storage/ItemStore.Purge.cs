using LiteDB;

namespace Aggregator.Storage;

// Retention: removes old items that no feed lists any more, and remembers their ids.
internal sealed partial class ItemStore
{
    /// <summary>Items deleted per transaction: short enough that a feed's batch waiting on the write lock is not held up long.</summary>
    public const int PurgeBatchSize = 200;

    /// <summary>
    /// Deletes the items published before <paramref name="cutoff"/>, except those their feed listed in its latest
    /// fetch, in batches of one transaction each. Their stable ids are kept so they never come back as new, and
    /// their stories are fixed up: emptied stories deleted, a purged canonical item replaced by the next one.
    /// </summary>
    /// <param name="activeFeeds">Feeds whose latest listing protects items; null means every feed's. A feed removed from the configuration protects nothing.</param>
    /// <param name="priorityOf">An outlet's priority, to choose a story's next canonical item as <see cref="Upsert"/> does.</param>
    public PurgeResult Purge(DateTime cutoff, IReadOnlySet<string>? activeFeeds = null, Func<string, int>? priorityOf = null)
    {
        var old = items.Query().Where(x => x.Published < cutoff).Select(x => x.Id).ToList();
        int purgedCount = 0, kept = 0, storiesDeleted = 0;
        foreach (var batch in old.Chunk(PurgeBatchSize))
        {
            var (batchPurged, batchKept, batchStories) = PurgeBatch(batch, cutoff, activeFeeds, priorityOf);
            purgedCount += batchPurged;
            kept += batchKept;
            storiesDeleted += batchStories;
        }

        if (purgedCount > 0)
        {
            Interlocked.Increment(ref version);
        }

        return new PurgeResult(purgedCount, kept, storiesDeleted);
    }

    /// <summary>Whether retention removed an item: its feed carrying it again does not make it new.</summary>
    public bool IsPurged(string id) => purged.FindById(id) is not null;

    public int CountPurged() => purged.Count();

    private (int Purged, int Kept, int StoriesDeleted) PurgeBatch(string[] ids, DateTime cutoff, IReadOnlySet<string>? activeFeeds, Func<string, int>? priorityOf)
    {
        int purgedCount = 0, kept = 0, storiesDeleted = 0;
        var now = time.GetUtcNow().UtcDateTime;
        var touched = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        lock (writeLock)
        {
            database.BeginTrans();
            try
            {
                // Read inside the lock: a feed's batch stored since the query may list an item again.
                var listed = ListedIds(activeFeeds);
                foreach (var id in ids)
                {
                    if (FindItem(id) is not { } item || item.Published >= cutoff)
                    {
                        continue;
                    }

                    if (listed.Contains(id))
                    {
                        kept++;
                        continue;
                    }

                    items.Delete(item.Row);
                    FeedCounts.Removed(item.FeedId);
                    purged.Upsert(new PurgedItem { Id = id, FeedId = item.FeedId, Purged = now });
                    purgedCount++;
                    if (item.Alone)
                    {
                        // Its story was read from it, and goes with it.
                        storiesDeleted++;
                        continue;
                    }

                    if (!touched.TryGetValue(item.StoryId, out var removed))
                    {
                        touched[item.StoryId] = removed = [];
                    }

                    removed.Add(id);
                }

                foreach (var (storyId, removed) in touched)
                {
                    storiesDeleted += RemoveFromStory(storyId, removed, priorityOf) ? 1 : 0;
                }

                database.Commit();
                return (purgedCount, kept, storiesDeleted);
            }
            catch
            {
                database.Rollback();

                // The counts per feed went down with each item the batch deleted: read them again with the index.
                ForgetIdentities();
                throw;
            }
        }
    }

    private HashSet<string> ListedIds(IReadOnlySet<string>? activeFeeds)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listing in listings.FindAll())
        {
            if (activeFeeds is null || activeFeeds.Contains(listing.Id))
            {
                listed.UnionWith(listing.ItemIds);
            }
        }

        return listed;
    }

    /// <summary>Takes purged items out of their story; returns true when the story was left empty and deleted.</summary>
    private bool RemoveFromStory(string storyId, List<string> removed, Func<string, int>? priorityOf)
    {
        if (stories.FindById(storyId) is not { } story)
        {
            return false;
        }

        story.ItemIds.RemoveAll(removed.Contains);
        var members = story.ItemIds.Select(FindItem).OfType<StoredItem>().ToList();
        story.RowsFrom(members);
        if (members.Count == 0)
        {
            stories.Delete(storyId);
            return true;
        }

        // The story keeps its id (readers know it by that id); only its canonical item moves.
        if (!members.Any(m => m.Id == story.CanonicalId))
        {
            var canonical = CanonicalOf(members, priorityOf);
            story.CanonicalId = canonical.Id;
            story.Published = canonical.Published;
        }

        stories.Update(story);
        return false;
    }
}
