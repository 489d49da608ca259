using System.Globalization;
using LiteDB;

namespace Aggregator.Storage;

/// <summary>An item ready to store: parsed, cleaned and identified.</summary>
internal sealed record ItemCandidate(
    string Identity,
    string? Link,
    string Title,
    string? Author,
    IReadOnlyList<string> Categories,
    IReadOnlyList<StoredEnclosure> Enclosures,
    string BodyHtml,
    string BodyText,
    DateTime? Published,
    DateTime? SourceUpdated)
{
    /// <summary>Set when the body came from the article's page rather than the feed.</summary>
    public PageSource? Page { get; init; }

    /// <summary>The item's <see cref="ItemIdentity.StableId"/> in its feed, when the refresher derived it already; else the store does.</summary>
    public string? Id { get; init; }

    /// <summary>The <see cref="Storage.SourceDigest"/> of the item it was made from, when the refresher took one.</summary>
    public ulong? SourceDigest { get; init; }

    /// <summary>
    /// Not cleaned: the store said its source was unchanged (<see cref="ItemStore.HasUnchangedSource"/>), so the
    /// candidate only keeps the item listed. Its body is empty and is never written.
    /// </summary>
    public bool Unread { get; init; }
}

/// <summary>What one feed's batch did to the store. <paramref name="Merged"/>: new items that joined an existing story.</summary>
internal sealed record UpsertResult(int New, int Updated, int Unchanged, int Merged = 0);

/// <summary>
/// The LiteDB file under the data folder: items and feed state. One instance per process (guarded by
/// <see cref="StoreLock"/>); writes are serialised and each feed's batch is one transaction.
/// </summary>
internal sealed partial class ItemStore : IDisposable
{
    public const string FileName = "aggregator.db";

    /// <summary>The collections that hold the items, their stories and the body dictionaries the items are packed with.</summary>
    internal const string ItemCollection = "items", StoryCollection = "stories", DictionaryCollection = "dictionaries";
    private readonly StoreLock storeLock;
    private readonly LiteDatabase database;
    private readonly ILiteCollection<StoredItem> items;
    private readonly ILiteCollection<FeedState> states;
    private readonly ILiteCollection<StoredStory> stories;
    private readonly ILiteCollection<FeedListing> listings;
    private readonly ILiteCollection<PurgedItem> purged;
    private readonly ILiteCollection<BsonDocument> dictionaries;
    private readonly BodyDictionaryTrainer bodyDictionary;
    private readonly TimeProvider time;
    private readonly Lock writeLock = new();
    private long version;

    // The newest item's row (StoredItem.Row): written under the write lock. Rows of a rolled-back write are not reused.
    private long lastRow;

    private ItemStore(StoreLock storeLock, LiteDatabase database, TimeProvider time, int dictionarySamples)
    {
        this.storeLock = storeLock;
        this.database = database;
        this.time = time;
        items = database.GetCollection<StoredItem>(ItemCollection);
        states = database.GetCollection<FeedState>("feeds");
        stories = database.GetCollection<StoredStory>(StoryCollection);
        listings = database.GetCollection<FeedListing>("listings");
        purged = database.GetCollection<PurgedItem>("purged");
        dictionaries = database.GetCollection(DictionaryCollection);
        CreateCollections(database, [items.Name, states.Name, stories.Name, listings.Name, purged.Name, dictionaries.Name]);
        bodyDictionary = new BodyDictionaryTrainer(Save, dictionarySamples);
        if (Newest(dictionaries) is { } dictionary)
        {
            bodyDictionary.Use(dictionary);
        }

        items.EnsureIndex(x => x.Published);
        lastRow = database.GetCollection(ItemCollection).Query().OrderByDescending("_id").Select("{ r: $._id }").Limit(1).ToList() is [{ } newest] ? newest["r"].AsInt64 : 0;

        // Counts per feed are kept in memory (ItemCounts): an index by feed only cost every insert and the file a node.
        items.DropIndex(nameof(StoredItem.FeedId));

        // Stories are listed by walking their items by date (StoriesOf), so stories are no longer indexed by date. A
        // store that has the index keeps it: dropping it from a million stories is one large transaction (the start
        // that dropped it measured 309 MB resident, the next 239 MB), and keeping it costs a node per joined story.
    }

    /// <summary>
    /// Makes the collections a fresh file lacks, before anyone reads. LiteDB 5.0.21 makes a collection on its first
    /// write, and publishes its name at commit a moment before its page: a reader of it then (/status while the first
    /// fetch stores its feed, say) failed with "page type must be collection page", and the engine closed for good
    /// (litedb-org/LiteDB#2792). A document inserted and deleted in one transaction leaves the collection made.
    /// </summary>
    internal static void CreateCollections(LiteDatabase database, IEnumerable<string> names)
    {
        var missing = names.Where(name => !database.CollectionExists(name)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        database.BeginTrans();
        foreach (var name in missing)
        {
            var collection = database.GetCollection(name);
            collection.Insert(new BsonDocument { ["_id"] = 0 });
            collection.Delete(0);
        }

        database.Commit();
    }

    /// <summary>Grows by one each time a write changes what readers see; exports re-render when it moves.</summary>
    public long Version => Interlocked.Read(ref version);

    /// <summary>Bytes LiteDB's page cache holds for this store (<see cref="PageCache"/>).</summary>
    public long CacheBytes => PageCache.Bytes(database);

    /// <param name="dictionarySamples">Bodies sampled before the store trains its <see cref="BodyDictionary"/> (tests take fewer).</param>
    public static ItemStore Open(string dataDirectory, TimeProvider time, int dictionarySamples = BodyDictionaryTrainer.SamplesWanted)
    {
        var storeLock = StoreLock.Acquire(dataDirectory);
        try
        {
            var connection = new ConnectionString
            {
                Filename = Path.Combine(dataDirectory, FileName),
                Connection = ConnectionType.Direct,
                // Only applies when the file is created: ordinal, case-sensitive ids and URLs.
                Collation = Collation.Binary,
                AutoRebuild = false,
            };
            PageCache.Configure();
            var mapper = new BsonMapper();
            mapper.Entity<StoredItem>().Id(x => x.Row, autoId: false);
            mapper.Entity<FeedState>().Id(x => x.Id, autoId: false);
            mapper.Entity<StoredStory>().Id(x => x.Id, autoId: false);
            mapper.Entity<FeedListing>().Id(x => x.Id, autoId: false);
            mapper.Entity<PurgedItem>().Id(x => x.Id, autoId: false);
            var database = OpenWithRows(connection, mapper, dataDirectory, time);
            try
            {
                return new ItemStore(storeLock, database, time, dictionarySamples);
            }
            catch
            {
                database.Dispose();
                throw;
            }
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <summary>The store's file, copied first into the layout with rows when it was written before them (see <see cref="StoredItem.Row"/>).</summary>
    private static LiteDatabase OpenWithRows(ConnectionString connection, BsonMapper mapper, string dataDirectory, TimeProvider time)
    {
        var database = new LiteDatabase(connection, mapper) { UtcDate = true };
        try
        {
            if (!StoreCompactor.KeysItemsById(database))
            {
                return database;
            }
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database.Dispose();
        StoreCompactor.CompactLocked(dataDirectory, time);
        return new LiteDatabase(connection, mapper) { UtcDate = true };
    }

    /// <summary>
    /// Stores a feed's items in one transaction (shared with the batches other feeds submit meanwhile): new ones inserted and placed in a story (a new one, or the story
    /// of the earlier copy <paramref name="matcher"/> finds), corrected ones updated in place.
    /// </summary>
    /// <param name="priorityOf">An outlet's priority: the story's canonical item is the highest priority, then the earliest.</param>
    public UpsertResult Upsert(string feedId, IReadOnlyList<ItemCandidate> candidates, IStoryMatcher? matcher = null, Func<string, int>? priorityOf = null) =>
        UpsertAsync(feedId, candidates, matcher, priorityOf).GetAwaiter().GetResult();

    /// <inheritdoc cref="Upsert"/>
    /// <remarks>The wait for the writer holds no thread: what the refresher calls, many feeds at a time.</remarks>
    public async Task<UpsertResult> UpsertAsync(string feedId, IReadOnlyList<ItemCandidate> candidates, IStoryMatcher? matcher = null, Func<string, int>? priorityOf = null)
    {
        // A training under way is awaited here, holding no thread; packing waits only for one that starts meanwhile.
        await bodyDictionary.Training.ConfigureAwait(false);
        return await WriteAsync(new PendingUpsert(feedId, candidates, matcher, priorityOf) { Prepared = Prepare(feedId, candidates, matcher, bodyDictionary) }).ConfigureAwait(false);
    }

    /// <summary>
    /// What needs no lock, on the caller's thread: ids and digests, and for candidates the index does not know as
    /// unchanged (new or corrected, most likely), their packed bodies and fingerprint. The write re-checks the index.
    /// </summary>
    /// <param name="dictionary">What bodies are packed with: null under the write lock, for its training saves the dictionary under it.</param>
    private List<PreparedCandidate> Prepare(string feedId, IReadOnlyList<ItemCandidate> candidates, IStoryMatcher? matcher, BodyDictionaryTrainer? dictionary)
    {
        var prepared = new List<PreparedCandidate>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var id = candidate.Id ?? ItemIdentity.StableId(feedId, candidate.Identity);
            System.Diagnostics.Debug.Assert(candidate.Id is null || candidate.Id == ItemIdentity.StableId(feedId, candidate.Identity), "a candidate's id is its feed's and identity's");
            if (candidate.Unread)
            {
                prepared.Add(new PreparedCandidate(id, "", candidate.SourceDigest ?? IdentityIndex.UnknownContent));
                continue;
            }

            var hash = ContentHashOf(candidate);
            var digest = candidate.SourceDigest ?? IdentityIndex.DigestOf(hash);
            prepared.Add(Recognise(id, digest) == Known.Unchanged
                ? new PreparedCandidate(id, hash, digest)
                : new PreparedCandidate(id, hash, digest, BodyPacking.Pack(candidate.BodyHtml, candidate.BodyText, dictionary), matcher?.Prepare(candidate.Title, candidate.BodyText)));
        }

        return prepared;
    }

    /// <summary>One feed's batch (or its state alone), inside the transaction its group is written in.</summary>
    private UpsertResult Apply(PendingUpsert upsert, DateTime now)
    {
        var (feedId, candidates, matcher, priorityOf) = upsert;
        if (upsert.State is not null)
        {
            states.Upsert(upsert.State);
            return new UpsertResult(0, 0, 0);
        }

        int added = 0, updated = 0, unchanged = 0, merged = 0;
        var listed = new List<string>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var (id, hash, digest, packed, matchKey) = upsert.Prepared?[i] ?? Prepare(feedId, [candidate], null, null)[0];
            listed.Add(id);
            // The index holds the source digest of items the refresher read, else the digest of the content hash.
            var known = Recognise(id, digest);
            if (known == Known.Unchanged || candidate.Unread)
            {
                // An unread candidate whose source the index no longer knows (rebuilt meanwhile): read next time.
                unchanged++;
                continue;
            }

            var existing = known == Known.New ? null : FindItem(id);
            if (existing is null && known != Known.New && purged.FindById(id) is not null)
            {
                // Retention removed it (the index still knows its id): a feed that still carries an old item must
                // not bring it back as new.
                unchanged++;
            }
            else if (existing is null)
            {
                var item = NewItem(feedId, id, hash, candidate, now);
                item.Row = NextRow();
                item.UsePacked(packed);
                if (PlaceInStory(item, matcher?.Match(item, matchKey), priorityOf, now))
                {
                    merged++;
                }

                items.Insert(item);
                Remember(id, digest, item.Row);
                FeedCounts.Added(feedId, now);
                matcher?.Remember(item);
                added++;
            }
            else if (existing.ContentHash != hash)
            {
                var item = Corrected(existing, hash, candidate, now);
                item.UsePacked(packed);
                matcher?.Corrected(item);
                items.Update(item);
                Remember(id, digest);
                TouchStory(item, now);
                updated++;
            }
            else
            {
                // The source moved but cleans to the same item (a counter in the page furniture, say): only the
                // index learns the new digest; the stored one is read again after a restart, once.
                Remember(id, digest);
                unchanged++;
            }
        }

        listings.Upsert(new FeedListing { Id = feedId, Fetched = now, ItemIds = listed });
        return new UpsertResult(added, updated, unchanged, merged);
    }

    /// <summary>The newest stories by their canonical item's published date, newest first.</summary>
    /// <param name="withItems">Whether each story comes with its canonical item (<see cref="StoredStory.CanonicalItem"/>), read by the walk that finds it.</param>
    public IReadOnlyList<StoredStory> LatestStories(int limit, bool withItems = false) => Stories(newestFirst: true, null, limit, withItems);

    /// <summary>Up to <paramref name="limit"/> stories published at or before a time, newest first: the archive, page by page.</summary>
    /// <param name="withItems"><inheritdoc cref="LatestStories" path="/param[@name='withItems']"/></param>
    public IReadOnlyList<StoredStory> StoriesBefore(DateTime before, int limit, bool withItems = false) => Stories(newestFirst: true, before, limit, withItems);

    /// <summary>Up to <paramref name="limit"/> stories published at or after a time, oldest first: the archive read forward.</summary>
    /// <param name="withItems"><inheritdoc cref="LatestStories" path="/param[@name='withItems']"/></param>
    public IReadOnlyList<StoredStory> StoriesAfter(DateTime after, int limit, bool withItems = false) => Stories(newestFirst: false, after, limit, withItems);

    private List<StoredStory> Stories(bool newestFirst, DateTime? from, int limit, bool withItems) =>
        [.. StoriesOf(ByPublished(newestFirst, from, limit, withItems ? BsonExpression.Root : ListedFields), withItems).Take(limit)];

    /// <summary>Stories published since a time, newest first.</summary>
    public IReadOnlyList<StoredStory> StoriesSince(DateTime since) =>
        [.. StoriesOf(ByPublished(newestFirst: true, null, ScanChunk, ListedFields).TakeWhile(i => i[nameof(StoredItem.Published)].AsDateTime >= since))];

    /// <summary>
    /// Items published since a time, oldest first: what the near-duplicate index is rebuilt from at start-up.
    /// </summary>
    public IEnumerable<StoredItem> ItemsSince(DateTime since) =>
        ByPublished(newestFirst: false, since, ScanChunk, BsonExpression.Root).Select(database.Mapper.ToObject<StoredItem>);

    public StoredStory? FindStory(string id) => stories.FindById(id) ?? (FindItem(id) is { Alone: true } item ? Alone(item) : null);

    /// <summary>What listing stories reads of each item: LiteDB leaves the other fields, the bodies above all, unread.</summary>
    private static readonly BsonExpression ListedFields = BsonExpression.Create(
        $"{{ _id: $._id, {nameof(StoredItem.Id)}: $.{nameof(StoredItem.Id)}, {nameof(StoredItem.Published)}: $.{nameof(StoredItem.Published)}, {nameof(StoredItem.Updated)}: $.{nameof(StoredItem.Updated)}, {nameof(StoredItem.StoryId)}: $.{nameof(StoredItem.StoryId)} }}");

    /// <summary>
    /// The stories items are shown by, in the items' order: an item alone tells its own, an item in a story document
    /// stands for it only when it is the story's canonical item (whose published date is the story's).
    /// </summary>
    /// <remarks>
    /// With <paramref name="withItems"/> the walk reads whole items and each story keeps its canonical one: a search
    /// reads the text of every story it examines, and finding each canonical item again by its key descended LiteDB's
    /// index for every one (about 40 KB allocated a lookup; most of a million-item store's search).
    /// </remarks>
    private IEnumerable<StoredStory> StoriesOf(IEnumerable<BsonDocument> walk, bool withItems = false)
    {
        // Read once per walk: each of a story's members the walk meets asks for it.
        var read = new Dictionary<string, StoredStory?>(StringComparer.Ordinal);
        foreach (var item in walk)
        {
            var id = item[nameof(StoredItem.Id)].AsString;
            var storyId = item[nameof(StoredItem.StoryId)];
            if (storyId.IsNull || storyId.AsString.Length == 0)
            {
                var alone = Alone(id, item["_id"].AsInt64, item[nameof(StoredItem.Published)].AsDateTime, item[nameof(StoredItem.Updated)].AsDateTime);
                alone.CanonicalItem = withItems ? database.Mapper.ToObject<StoredItem>(item) : null;
                yield return alone;
                continue;
            }

            if (!read.TryGetValue(storyId.AsString, out var story))
            {
                read[storyId.AsString] = story = stories.FindById(storyId.AsString);
            }

            if (story is not null && story.CanonicalId == id)
            {
                story.CanonicalItem = withItems ? database.Mapper.ToObject<StoredItem>(item) : null;
                yield return story;
            }
        }
    }

    private static StoredStory Alone(StoredItem item) => Alone(item.Id, item.Row, item.Published, item.Updated);

    private static StoredStory Alone(string id, long row, DateTime published, DateTime updated) =>
        new() { Id = id, CanonicalId = id, Published = published, Updated = updated, ItemIds = [id], ItemRows = [row] };

    // Values always go in as parameters (@0), never spliced into the expression (Query.EQ, Query.In, Query.GTE):
    // LiteDB compiles each distinct expression text and keeps it forever, a few milliseconds and kilobytes a value.

    /// <summary>
    /// Items (the fields <paramref name="select"/> picks) by published date from a time on (inclusive; null: from the
    /// newest or oldest), read <paramref name="chunk"/> at a time (at most <see cref="ScanChunk"/>), each chunk its own
    /// query, so that LiteDB's cache holds one chunk's pages at once (see <see cref="Scan"/>). The items published at
    /// the time a chunk ends on are read together, by that time: LiteDB's index walks items with equal keys in no fixed
    /// order, so a chunk cannot resume within them.
    /// </summary>
    private IEnumerable<BsonDocument> ByPublished(bool newestFirst, DateTime? from, int chunk, BsonExpression select)
    {
        const string Published = nameof(StoredItem.Published);
        var collection = database.GetCollection(items.Name);
        // One more than asked for: a caller that takes what it asked for, of items at distinct times, is done before the
        // chunk's last time would be read again.
        chunk = Math.Clamp(chunk + 1, 2, ScanChunk);
        var bound = from is null ? null : BsonExpression.Create(newestFirst ? "Published <= @0" : "Published >= @0", from.Value);
        while (true)
        {
            var query = bound is null ? collection.Query() : collection.Query().Where(bound);
            var read = (newestFirst ? query.OrderByDescending(Published) : query.OrderBy(Published)).Select(select).Limit(chunk).ToList();
            if (read.Count < chunk)
            {
                foreach (var item in read)
                {
                    yield return item;
                }

                yield break;
            }

            var last = read[^1][Published].AsDateTime;
            foreach (var item in read.Where(i => i[Published].AsDateTime != last))
            {
                yield return item;
            }

            foreach (var item in collection.Query().Where(BsonExpression.Create("Published = @0", last)).Select(select).ToList())
            {
                yield return item;
            }

            bound = BsonExpression.Create(newestFirst ? "Published < @0" : "Published > @0", last);
            chunk = ScanChunk;
        }
    }

    /// <summary>The newest items by published date, newest first.</summary>
    public IReadOnlyList<StoredItem> Latest(int limit) =>
        items.Query().OrderByDescending(x => x.Published).Limit(limit).ToList();

    /// <summary>The item with this stable id, found by its row (<see cref="StoredItem.Row"/>) in the identity index.</summary>
    public StoredItem? Find(string id) => FindItem(id);

    private StoredItem? FindItem(string id)
    {
        if (!Identities.TryGetRow(id, out var row) || row == IdentityIndex.NoRow || items.FindById((long)row) is not { } item)
        {
            return null;
        }

        // Another id with the same 64-bit key in the index (about one chance in 30 million at a million items) took
        // the row: this one is found by reading every item, rather than taken for new and stored twice.
        return item.Id == id ? item : items.FindOne(BsonExpression.Create("$.Id = @0", id));
    }

    /// <summary>
    /// Several items by id (missing ones are left out), <see cref="FindChunk"/> to a query. LiteDB holds every page
    /// a query touches until the query ends, and its cache grows to hold them and never shrinks: at a million items
    /// the 663 items of a page of 100 stories, read in one query, grew it by 4,000 pages (32 MB).
    /// </summary>
    public Dictionary<string, StoredItem> FindMany(IEnumerable<string> ids) => FindMany(ids.Select(id => (id, 0L)));

    /// <summary>
    /// <see cref="FindMany(IEnumerable{string})"/> with the rows the caller knows (a story's
    /// <see cref="StoredStory.ItemRows"/>; 0 where unknown): only an unknown row is looked up in the identity index,
    /// which an export that knows them all never has to read from the store.
    /// </summary>
    public Dictionary<string, StoredItem> FindMany(IEnumerable<(string Id, long Row)> wanted)
    {
        var rows = new Dictionary<long, string>();
        foreach (var (id, known) in wanted)
        {
            var row = known != 0 ? known : Identities.TryGetRow(id, out var indexed) ? indexed : IdentityIndex.NoRow;
            if (row != IdentityIndex.NoRow)
            {
                rows.TryAdd(row, id);
            }
        }

        var found = new Dictionary<string, StoredItem>(StringComparer.Ordinal);
        foreach (var chunk in rows.Keys.Chunk(FindChunk))
        {
            foreach (var item in items.Find(BsonExpression.Create("_id IN @0", new BsonArray(chunk.Select(row => new BsonValue(row))))))
            {
                if (rows[item.Row] == item.Id)
                {
                    found[item.Id] = item;
                }
            }
        }

        return found;
    }

    /// <summary>Items one <see cref="FindMany"/> query reads: each costs a few pages of the id index and its own data page.</summary>
    private const int FindChunk = 64;

    /// <summary>Items stored, in all or of one feed: counted in memory (LiteDB counts by reading its whole index).</summary>
    public int CountItems(string? feedId = null) => FeedCounts.Items(feedId);

    /// <summary>When the feed last brought an item we had not seen (its newest FirstSeen); null before its first item.</summary>
    public DateTime? LastNewItem(string feedId) => FeedCounts.LastNew(feedId);

    public FeedState GetState(string feedId) => states.FindById(feedId) ?? new FeedState { Id = feedId };

    /// <summary>
    /// Null while the store answers; else why it no longer can. After a fatal error (a page it cannot read, a write
    /// the disk refused) LiteDB closes its engine for good, and every call after that throws: only a new process,
    /// whose open replays the log, reads the store again. Another error (a lock held through a checkpoint) is thrown: not a fault.
    /// </summary>
    public Exception? Fault()
    {
        try
        {
            states.FindById("");
            return null;
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException
            || e is LiteException { ErrorCode: LiteException.DATABASE_SHUTDOWN or LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE })
        {
            return e;
        }
    }

    public IReadOnlyList<FeedState> AllStates() => states.FindAll().ToList();

    /// <summary>
    /// Whether the item with this stable id is stored from a source with this digest: its candidate need not be
    /// cleaned (see <see cref="ItemCandidate.Unread"/>). Answered from memory, without the write lock.
    /// </summary>
    public bool HasUnchangedSource(string stableId, ulong sourceDigest) =>
        Identities.TryMatch(stableId, sourceDigest, out var same) && same;

    public void SaveState(FeedState state) => SaveStateAsync(state).GetAwaiter().GetResult();

    public Task SaveStateAsync(FeedState state) => WriteAsync(new PendingUpsert(state.Id, [], null, null) { State = state });

    public void Dispose()
    {
        bodyDictionary.Close();
        database.Dispose();
        storeLock.Dispose();
    }

    /// <returns>True when the item joined an existing story, false when it opened its own.</returns>
    private bool PlaceInStory(StoredItem item, string? matchedStoryId, Func<string, int>? priorityOf, DateTime now)
    {
        var story = matchedStoryId is null ? null : stories.FindById(matchedStoryId);
        var opener = story is null && matchedStoryId is not null ? FindItem(matchedStoryId) : null;
        if (story is null && opener is not { Alone: true })
        {
            // Alone until another outlet's copy joins: the story is read from the item (see StoredItem.Alone).
            return false;
        }

        // Another outlet joins: the entry gains a related link, so its updated date moves forward.
        if (opener is not null)
        {
            // The first to join a story told alone: the story gets its document, under the opening item's id.
            story = Alone(opener);
            opener.StoryId = opener.Id;
            items.Update(opener);
        }

        item.StoryId = story!.Id;
        story.ItemIds.Add(item.Id);
        var members = story.ItemIds.Select(id => id == item.Id ? item : id == opener?.Id ? opener : FindItem(id)).OfType<StoredItem>().ToList();
        story.RowsFrom(members);
        var canonical = CanonicalOf(members, priorityOf);
        story.CanonicalId = canonical.Id;
        story.Published = canonical.Published;
        story.Updated = Forward(story.Updated, now, canonical.Updated);
        stories.Upsert(story);
        return true;
    }

    private void TouchStory(StoredItem item, DateTime now)
    {
        if (stories.FindById(item.StoryId) is not { } story)
        {
            return;
        }

        if (story.CanonicalId == item.Id)
        {
            story.Published = item.Published;
        }

        // A correction always moves the story forward, even one dated before an outlet joined: readers and the
        // exporter's reuse of unchanged entries both go by this date.
        story.Updated = Forward(story.Updated, item.Updated, now);
        stories.Update(story);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>
    /// A changed story's updated time: the latest of the times given, and always past the one it had. LiteDB keeps
    /// milliseconds, so two changes within one (a join, then a correction) would otherwise leave it where it was,
    /// and readers and the exporter, which go by it, would not see the second.
    /// </summary>
    private static DateTime Forward(DateTime current, DateTime a, DateTime b) => Max(Max(a, b), current.AddMilliseconds(1));

    /// <summary>A story's canonical item: the highest priority outlet's, then the earliest, then by id so the choice is stable.</summary>
    private static StoredItem CanonicalOf(IEnumerable<StoredItem> members, Func<string, int>? priorityOf) => members
        .OrderByDescending(m => priorityOf?.Invoke(m.FeedId) ?? 0)
        .ThenBy(m => m.Published)
        .ThenBy(m => m.Id, StringComparer.Ordinal)
        .First();

    private static StoredItem NewItem(string feedId, string id, string hash, ItemCandidate candidate, DateTime now)
    {
        var published = candidate.Published ?? now;
        var item = new StoredItem { Id = id, FeedId = feedId, Identity = candidate.Identity, FirstSeen = now, Published = published };
        Apply(item, hash, candidate);
        item.Updated = candidate.SourceUpdated ?? published;
        return item;
    }

    private static StoredItem Corrected(StoredItem item, string hash, ItemCandidate candidate, DateTime now)
    {
        Apply(item, hash, candidate);
        if (candidate.Published is { } published)
        {
            item.Published = published;
        }

        // A correction moves updated forward: the source's date when it gives one, else the time we saw it; and always
        // past the one it had, for a story told by this item alone goes by it (see Forward).
        var updated = candidate.SourceUpdated ?? now;
        var moved = updated > item.Updated ? updated : now;
        item.Updated = Forward(item.Updated, moved, moved);
        return item;
    }

    private static void Apply(StoredItem item, string hash, ItemCandidate candidate)
    {
        item.ContentHash = hash;
        item.Link = candidate.Link;
        item.Title = candidate.Title;
        item.Author = candidate.Author;
        item.Categories = [.. candidate.Categories];
        item.Enclosures = [.. candidate.Enclosures];
        item.BodyHtml = candidate.BodyHtml;
        item.BodyText = candidate.BodyText;
        item.SourceUpdated = candidate.SourceUpdated;
        item.Page = candidate.Page;
        item.SourceDigest = candidate.SourceDigest is { } source ? unchecked((long)source) : null;
    }

    private static string ContentHashOf(ItemCandidate candidate)
    {
        var updated = candidate.SourceUpdated?.Ticks.ToString(CultureInfo.InvariantCulture);
        var categories = string.Join('|', candidate.Categories);

        // A changed summary is recorded even when the page it leads to has not changed, so it is read once.
        return candidate.Page is { } page
            ? ItemIdentity.Digest(candidate.Title, candidate.BodyHtml, candidate.Link, updated, categories, page.SummaryDigest)
            : ItemIdentity.Digest(candidate.Title, candidate.BodyHtml, candidate.Link, updated, categories);
    }
}
