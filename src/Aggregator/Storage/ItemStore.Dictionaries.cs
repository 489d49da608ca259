using LiteDB;

namespace Aggregator.Storage;

internal sealed partial class ItemStore
{
    /// <summary>
    /// Registers every dictionary the store holds (bodies packed with any of them stay readable) and returns the
    /// newest, which new bodies are packed with; null when the store has none yet.
    /// </summary>
    internal static BodyDictionary? Newest(ILiteCollection<BsonDocument> saved)
    {
        BodyDictionary? newest = null;
        var newestTrained = DateTime.MinValue;
        foreach (var document in saved.FindAll())
        {
            if (document["Data"] is not { IsBinary: true } data || BodyDictionary.From(data.AsBinary) is not { } dictionary)
            {
                throw new InvalidDataException($"The store's body dictionary {document["_id"]} is damaged");
            }

            dictionary = dictionary.Register();
            var trained = document["Trained"].AsDateTime;
            if (newest is null || trained > newestTrained)
            {
                (newest, newestTrained) = (dictionary, trained);
            }
        }

        return newest;
    }

    /// <summary>
    /// A training of the store's body dictionary failed (the exception; whether it will be tried again with twice the
    /// samples): bodies stay packed by Brotli, larger by about a quarter, until one succeeds.
    /// </summary>
    public event Action<Exception, bool>? DictionaryFailed
    {
        add => bodyDictionary.Failed += value;
        remove => bodyDictionary.Failed -= value;
    }

    /// <summary>Waits for the training of the store's body dictionary, when one is under way.</summary>
    public void WaitForDictionary() => bodyDictionary.Training.Wait();

    /// <summary>Saves a dictionary just trained, in its own transaction, between two of the writer's.</summary>
    private void Save(BodyDictionary dictionary)
    {
        lock (writeLock)
        {
            Save(dictionaries, dictionary, time.GetUtcNow().UtcDateTime);
        }
    }

    /// <summary>Inserts, never upserts: a dictionary saved under the id is never replaced, for bodies may name it.</summary>
    internal static void Save(ILiteCollection<BsonDocument> saved, BodyDictionary dictionary, DateTime trained) =>
        saved.Insert(new BsonDocument
        {
            ["_id"] = (long)dictionary.Id,
            ["Data"] = dictionary.Data,
            ["Trained"] = trained,
        });
}
