namespace Aggregator.Storage;

/// <summary>
/// A store's <see cref="BodyDictionary"/>: until it has one, the bodies it packs (with Brotli) are kept as samples,
/// and once enough are kept a dictionary is trained from them on a thread of its own, saved, and used from then on.
/// </summary>
internal sealed class BodyDictionaryTrainer(Action<BodyDictionary> save, int samplesWanted = BodyDictionaryTrainer.SamplesWanted)
{
    /// <summary>
    /// Bodies to train on: about 1.3 MB of text. On the bench's bodies 100 samples trained as good a dictionary as
    /// 1,000; on the real dispatches of the tests' pairs.json, 37 bodies trained one that packs the dispatches of other
    /// subjects 21–25% smaller than Brotli. The samples are the store's first bodies, and stay packed by Brotli.
    /// </summary>
    public const int SamplesWanted = 256;

    // zstd's trainer is a port of C: on samples of a byte or so it faulted the process (AccessViolationException).
    // The store offers only bodies it packs, of 512 characters or more.
    private const int MinSampleBytes = 256;

    // What a sample keeps of a body: bodies run to megabytes, and their start holds what they share with others.
    private const int MaxSampleBytes = 16 * 1024;

    private readonly Lock sampling = new();
    private List<byte[]>? samples = [];
    private BodyDictionary? current;
    private int failures;

    /// <summary>The dictionary bodies are packed with; null until one is trained or read from the store.</summary>
    public BodyDictionary? Current => Volatile.Read(ref current);

    /// <summary>
    /// Told of each failed training or save: what went wrong, and whether the store samples again for another try.
    /// The store goes on packing by Brotli either way; the service logs it (<see cref="ItemStore.DictionaryFailed"/>).
    /// </summary>
    public event Action<Exception, bool>? Failed;

    /// <summary>The training under way, if any; it never fails (a failure leaves <see cref="Current"/> as it was).</summary>
    public Task Training { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// The dictionary to pack with, once a training under way is done: the callers wait for it (0.1–0.3 s, once a
    /// store) rather than go on packing by Brotli, which in the bench's all-new pass packed 2,000 more bodies so while
    /// the training had a ninth of two busy cores. Never call it holding what <c>save</c> needs.
    /// </summary>
    public BodyDictionary? Settled()
    {
        Training.Wait();
        return Current;
    }

    /// <summary>Uses a dictionary the store already holds: nothing is sampled or trained.</summary>
    public void Use(BodyDictionary dictionary)
    {
        lock (sampling)
        {
            samples = null;
            Volatile.Write(ref current, dictionary);
        }
    }

    /// <summary>Keeps a copy of a body packed without a dictionary; the one that completes the samples starts the training.</summary>
    public void Offer(ReadOnlySpan<byte> body)
    {
        List<byte[]> complete;
        lock (sampling)
        {
            if (samples is null || body.Length < MinSampleBytes)
            {
                return;
            }

            samples.Add(body[..Math.Min(body.Length, MaxSampleBytes)].ToArray());
            if (samples.Count < samplesWanted << failures)
            {
                return;
            }

            complete = samples;
            samples = null;

            // Its own thread: the pool's may all be packers waiting for it (see Settled).
            Training = Task.Factory.StartNew(() => Train(complete), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Stops sampling and waits for a training under way: the store is closing, and the training saves into it.</summary>
    public void Close()
    {
        lock (sampling)
        {
            samples = null;
        }

        Training.Wait();
    }

    private void Train(List<byte[]> complete)
    {
        try
        {
            var dictionary = BodyDictionary.Train(complete);

            // Saved before anything is packed with it: a body must never name a dictionary the file does not hold.
            save(dictionary);
            Use(dictionary);
        }
        catch (Exception e)
        {
            // Whatever went wrong (bodies too few or too alike to learn from, or the store could not save it), the store
            // goes on packing by Brotli, which needs nothing; twice as many are sampled for another try, up to three more.
            bool retrying;
            lock (sampling)
            {
                retrying = ++failures < 4;
                if (retrying)
                {
                    samples = [];
                }
            }

            Report(e, retrying);
        }
    }

    // A listener that throws must neither fault the training, which Settled and Close wait on, nor keep the others from hearing.
    private void Report(Exception failure, bool retrying)
    {
        foreach (var listener in Failed?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action<Exception, bool>)listener)(failure, retrying);
            }
            catch (Exception)
            {
                // Nothing is left to tell it to.
            }
        }
    }
}
