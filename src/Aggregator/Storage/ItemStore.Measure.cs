using LiteDB;

namespace Aggregator.Storage;

/// <summary>What the store holds and costs: documents against the file, for the bench command.</summary>
internal sealed record StoreSize(int Items, long DocumentBytes, long UncompressedBytes, long IdentityIndexBytes);

internal sealed partial class ItemStore
{
    /// <summary>Folds the log into the file, then sums every document's serialized size (a full scan: for benchmarks).</summary>
    public StoreSize Measure()
    {
        lock (writeLock)
        {
            database.Checkpoint();
        }

        long stored = 0, unpacked = 0;
        foreach (var name in database.GetCollectionNames())
        {
            foreach (var document in Scan(name, BsonExpression.Root))
            {
                stored += BsonSerializer.Serialize(document).Length;
                var packed = PackedBodies.Of(document);
                var bytes = packed.Body!.IsBinary ? packed.Body : packed.Html!;
                if (bytes.IsBinary)
                {
                    unpacked += BodyPacking.UnpackedBytes(packed) - bytes.AsBinary.Length;
                }
            }
        }

        return new StoreSize(items.Count(), stored, stored + unpacked, IdentityIndexSize.Bytes);
    }
}
