using LiteDB;

namespace Aggregator.Storage;

/// <summary>
/// What a compaction did: the file's size before and after, the documents copied per collection, and the bodies it
/// packed again with the store's dictionary (<see cref="BodyDictionary"/>).
/// </summary>
internal sealed record CompactionResult(long BytesBefore, long BytesAfter, IReadOnlyDictionary<string, int> Documents, int Repacked);

/// <summary>
/// Compacts the store by copying every collection, with its indexes, into a fresh file and swapping it in.
/// LiteDB's own Rebuild() is not used: in 5.0 it can lose or corrupt data on the way. Bodies packed by Brotli (written
/// before the store had a dictionary, or before dictionaries) are packed again with the store's dictionary on the way,
/// one trained from the store's bodies when it has none: a store written before dictionaries shrinks at once. Items of a
/// store written before rows get their rows (<see cref="StoredItem.Row"/>), and its stories their items' rows; the store
/// runs this itself when it opens such a store.
/// </summary>
internal static class StoreCompactor
{
    private const string CopyName = "aggregator.compact.db";
    private const string BackupName = "aggregator.db.bak";

    // Documents a transaction of the copy writes.
    private const int WriteChunk = 2_000;

    // Copied as they are; the collation can only be chosen when a file is created.
    private static readonly string[] Pragmas = ["USER_VERSION", "TIMEOUT", "LIMIT_SIZE", "UTC_DATE", "CHECKPOINT"];

    /// <summary>Returns null when the data folder holds no store. Throws <see cref="StoreLockedException"/> while a process uses it.</summary>
    /// <param name="time">When a dictionary trained here says it was trained.</param>
    public static CompactionResult? Compact(string dataDirectory, TimeProvider? time = null)
    {
        var path = Path.Combine(dataDirectory, ItemStore.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var storeLock = StoreLock.Acquire(dataDirectory);
        return CompactLocked(dataDirectory, time);
    }

    /// <summary><see cref="Compact"/> for a caller that holds the store's lock and has no database open on it.</summary>
    internal static CompactionResult CompactLocked(string dataDirectory, TimeProvider? time = null)
    {
        var path = Path.Combine(dataDirectory, ItemStore.FileName);
        var copyPath = Path.Combine(dataDirectory, CopyName);
        var backupPath = Path.Combine(dataDirectory, BackupName);
        DeleteWithLog(copyPath);
        (Dictionary<string, int> Documents, int Repacked) copied;
        try
        {
            copied = Copy(path, copyPath, time ?? TimeProvider.System);
        }
        catch
        {
            DeleteWithLog(copyPath);
            throw;
        }

        // Closing both databases checkpointed their logs into the files: a log left over would belong to the old file.
        if (File.Exists(LogOf(path)) || File.Exists(LogOf(copyPath)))
        {
            DeleteWithLog(copyPath);
            throw new IOException($"LiteDB left a log file beside {path}: not swapping");
        }

        var before = new FileInfo(path).Length;
        // rename(2) onto the old name is atomic: the store path always holds a complete database.
        File.Replace(copyPath, path, backupPath);
        File.Delete(backupPath);
        return new CompactionResult(before, new FileInfo(path).Length, copied.Documents, copied.Repacked);
    }

    private static (Dictionary<string, int> Documents, int Repacked) Copy(string sourcePath, string targetPath, TimeProvider time)
    {
        var documents = new Dictionary<string, int>(StringComparer.Ordinal);
        var repacked = 0;
        PageCache.Configure();
        using var source = new LiteDatabase(Connection(sourcePath, null)) { UtcDate = true };
        var collation = new Collation(source.Pragma("COLLATION").AsString);
        using var target = new LiteDatabase(Connection(targetPath, collation)) { UtcDate = true };
        foreach (var pragma in Pragmas)
        {
            target.Pragma(pragma, source.Pragma(pragma));
        }

        var dictionary = DictionaryOf(source, target, time);
        // A dictionary trained now is in the copy only.
        var trained = dictionary is not null && source.GetCollection(ItemStore.DictionaryCollection).Count() == 0 ? 1 : 0;
        if (!source.CollectionExists(ItemStore.DictionaryCollection) && trained == 1)
        {
            documents[ItemStore.DictionaryCollection] = 1;
        }

        // Empty collections too: the service reads them as they are, never making one while others read.
        ItemStore.CreateCollections(target, source.GetCollectionNames());

        var indexes = source.GetCollection("$indexes").FindAll().ToList();
        // Filled while items get rows, for the stories (copied after them, in name order) to name their items' rows.
        IdentityIndex? rows = null;
        foreach (var name in source.GetCollectionNames().Order(StringComparer.Ordinal))
        {
            var from = source.GetCollection(name);
            var to = target.GetCollection(name);
            foreach (var index in indexes.Where(i => i["collection"].AsString == name && i["name"].AsString != "_id"))
            {
                to.EnsureIndex(index["name"].AsString, BsonExpression.Create(index["expression"].AsString), index["unique"].AsBoolean);
            }

            // Read by id a chunk at a time and written a chunk a transaction: one query and one transaction over a
            // million items held 3 GB of pages.
            var read = ItemStore.Scan(source, name, BsonExpression.Root);
            if (name == ItemStore.ItemCollection && dictionary is not null)
            {
                read = read.Select(document => Repack(document, dictionary, ref repacked));
            }

            if (name == ItemStore.ItemCollection && KeysItemsById(source))
            {
                rows = new IdentityIndex();
                read = Keyed(read, rows);
            }

            if (name == ItemStore.StoryCollection && rows is not null)
            {
                read = read.Select(story => WithRows(story, rows));
            }

            foreach (var chunk in read.Chunk(WriteChunk))
            {
                to.InsertBulk(chunk);
            }

            var expected = from.Count() + (name == ItemStore.DictionaryCollection ? trained : 0);
            var copied = to.Count();
            if (copied != expected)
            {
                throw new InvalidDataException($"Compaction copied {copied} of the {expected} documents of '{name}': the store was left as it was");
            }

            documents[name] = copied;
        }

        return (documents, repacked);
    }

    /// <summary>
    /// The dictionary bodies are packed again with: the newest the store holds, else one trained now from the first
    /// bodies in key order (the oldest items of a store keyed by rows; a spread over feeds and time in one keyed by stable id) and saved in the copy; null when there are fewer than a store
    /// trains on, or zstd cannot learn from them.
    /// </summary>
    private static BodyDictionary? DictionaryOf(LiteDatabase source, LiteDatabase target, TimeProvider time)
    {
        if (ItemStore.Newest(source.GetCollection(ItemStore.DictionaryCollection)) is { } newest)
        {
            return newest;
        }

        var samples = new List<byte[]>(BodyDictionaryTrainer.SamplesWanted);
        foreach (var document in ItemStore.Scan(source, ItemStore.ItemCollection, BsonExpression.Root))
        {
            var (html, text) = BodyPacking.Unpack(PackedBodies.Of(document));
            if (html.Length + text.Length >= BodyPacking.MinPackedChars)
            {
                samples.Add(BodyPacking.Joined(html, text));
                if (samples.Count == BodyDictionaryTrainer.SamplesWanted)
                {
                    break;
                }
            }
        }

        // As many as a store trains its own on: fewer, and the dictionary (32 KB) may cost more than it saves.
        if (samples.Count < BodyDictionaryTrainer.SamplesWanted)
        {
            return null;
        }

        try
        {
            var dictionary = BodyDictionary.Train(samples);
            ItemStore.Save(target.GetCollection(ItemStore.DictionaryCollection), dictionary, time.GetUtcNow().UtcDateTime);
            return dictionary;
        }
        catch (ZstdSharp.ZstdException)
        {
            // Too few bodies, or too alike, to learn from: they are copied as they are.
            return null;
        }
    }

    /// <summary>
    /// Whether the store keys its items by their stable id, as stores did before rows (<see cref="StoredItem.Row"/>):
    /// each insert landed at a random place in the key's index, and at a million items wrote pages all over it.
    /// </summary>
    internal static bool KeysItemsById(LiteDatabase database) =>
        database.GetCollection(ItemStore.ItemCollection).Query().Select("{ k: $._id }").Limit(1).ToList() is [{ } first] && first["k"].IsString;

    /// <summary>
    /// Items keyed by their stable id given rows in the order read, the id moved to its own field; <paramref name="rows"/>
    /// learns each, as the store's identity index does (16 bytes an item, about 24 MB at a million).
    /// </summary>
    private static IEnumerable<BsonDocument> Keyed(IEnumerable<BsonDocument> read, IdentityIndex rows)
    {
        uint row = 0;
        foreach (var document in read)
        {
            var id = document["_id"];
            document[nameof(StoredItem.Id)] = id;
            document["_id"] = (long)++row;
            rows.Add(id.AsString, IdentityIndex.UnknownContent, row);
            yield return document;
        }
    }

    /// <summary>A story with the rows of its items (<see cref="StoredStory.ItemRows"/>), 0 for one not copied.</summary>
    private static BsonDocument WithRows(BsonDocument story, IdentityIndex rows)
    {
        var ids = story[nameof(StoredStory.ItemIds)];
        if (ids.IsArray)
        {
            story[nameof(StoredStory.ItemRows)] = new BsonArray(ids.AsArray.Select(id =>
                new BsonValue(id.IsString && rows.TryGetRow(id.AsString, out var row) ? (long)row : 0L)));
        }

        return story;
    }

    private static BsonDocument Repack(BsonDocument document, BodyDictionary dictionary, ref int repacked)
    {
        var packed = PackedBodies.Of(document);
        if (packed.Body!.IsBinary)
        {
            return document;
        }

        var (html, text) = BodyPacking.Unpack(packed);
        if (BodyPacking.Pack(html, text, dictionary).Body is not { } body)
        {
            return document;
        }

        document.Remove(nameof(StoredItem.BodyHtml));
        document.Remove(nameof(StoredItem.BodyText));
        document[StoredItem.BodyField] = body;
        repacked++;
        return document;
    }

    private static ConnectionString Connection(string path, Collation? collation)
    {
        var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct, AutoRebuild = false };
        if (collation is not null)
        {
            connection.Collation = collation;
        }

        return connection;
    }

    /// <summary>LiteDB's write-ahead log beside a data file (name-log.ext): committed writes not yet folded into it.</summary>
    internal static string LogOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    private static void DeleteWithLog(string path)
    {
        File.Delete(path);
        File.Delete(LogOf(path));
    }
}
