using LiteDB;

namespace Aggregator.Storage;

/// <summary>What a compaction did: the file's size before and after, and the documents copied per collection.</summary>
internal sealed record CompactionResult(long BytesBefore, long BytesAfter, IReadOnlyDictionary<string, int> Documents);

/// <summary>
/// Compacts the store by copying every collection, with its indexes, into a fresh file and swapping it in.
/// LiteDB's own Rebuild() is not used: in 5.0 it can lose or corrupt data on the way.
/// </summary>
internal static class StoreCompactor
{
    private const string CopyName = "aggregator.compact.db";
    private const string BackupName = "aggregator.db.bak";

    // Copied as they are; the collation can only be chosen when a file is created.
    private static readonly string[] Pragmas = ["USER_VERSION", "TIMEOUT", "LIMIT_SIZE", "UTC_DATE", "CHECKPOINT"];

    /// <summary>Returns null when the data folder holds no store. Throws <see cref="StoreLockedException"/> while a process uses it.</summary>
    public static CompactionResult? Compact(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, ItemStore.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var storeLock = StoreLock.Acquire(dataDirectory);
        var copyPath = Path.Combine(dataDirectory, CopyName);
        var backupPath = Path.Combine(dataDirectory, BackupName);
        DeleteWithLog(copyPath);
        Dictionary<string, int> documents;
        try
        {
            documents = Copy(path, copyPath);
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
        return new CompactionResult(before, new FileInfo(path).Length, documents);
    }

    private static Dictionary<string, int> Copy(string sourcePath, string targetPath)
    {
        var documents = new Dictionary<string, int>(StringComparer.Ordinal);
        PageCache.Configure();
        using var source = new LiteDatabase(Connection(sourcePath, null)) { UtcDate = true };
        var collation = new Collation(source.Pragma("COLLATION").AsString);
        using var target = new LiteDatabase(Connection(targetPath, collation)) { UtcDate = true };
        foreach (var pragma in Pragmas)
        {
            target.Pragma(pragma, source.Pragma(pragma));
        }

        var indexes = source.GetCollection("$indexes").FindAll().ToList();
        foreach (var name in source.GetCollectionNames().Order(StringComparer.Ordinal))
        {
            var from = source.GetCollection(name);
            var to = target.GetCollection(name);
            foreach (var index in indexes.Where(i => i["collection"].AsString == name && i["name"].AsString != "_id"))
            {
                to.EnsureIndex(index["name"].AsString, BsonExpression.Create(index["expression"].AsString), index["unique"].AsBoolean);
            }

            to.InsertBulk(from.FindAll());
            var expected = from.Count();
            var copied = to.Count();
            if (copied != expected)
            {
                throw new InvalidDataException($"Compaction copied {copied} of the {expected} documents of '{name}': the store was left as it was");
            }

            documents[name] = copied;
        }

        return documents;
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
