using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Aggregator.Storage;

/// <summary>
/// A zstd dictionary trained on a store's own bodies: the datelines, agency credits, boilerplate and markup that
/// every dispatch repeats are in it once, so a packed body is about 30% smaller than Brotli makes it alone (a 3 KB
/// body: 1,150 bytes against 1,640), for about the same work. Kept in the store beside the items it packs, for good.
/// </summary>
internal sealed class BodyDictionary
{
    /// <summary>The dictionary's size: 16 KB left bodies 4% larger, 64 KB saved 2% more and cost more to load.</summary>
    public const int Capacity = 32 * 1024;

    // zstd's dictionary and frame formats (RFC 8878): a dictionary starts with a magic number, then its id, and each
    // frame packed with it names that id in its header.
    private const uint DictionaryMagic = 0xEC30A437;
    private const uint FrameMagic = 0xFD2FB528;

    // With the dictionary, level 2 packed the bench's bodies 12% smaller than level 1 and as small as level 3, in about
    // Brotli's time (56 µs against 58, each call after 1 MB of other work); level 3's larger tables, missed in the
    // cache when packing is one step among many, took 85 µs (155 after 8 MB).
    public const int Level = 2;

    // Every dictionary the process has read or trained, for good (a few per process: tests and the bench open many
    // stores), with up to one pooled context per core each.
    private static readonly ConcurrentDictionary<uint, BodyDictionary> Known = new();

    // zstd's contexts are not thread-safe, and loading the dictionary into one costs more than packing a body: each is
    // lent to one caller at a time and kept, one per core (a compressor holds about 400 KB).
    private readonly ConcurrentQueue<Compressor> compressors = new();
    private readonly ConcurrentQueue<Decompressor> decompressors = new();

    private BodyDictionary(uint id, byte[] data)
    {
        Id = id;
        Data = data;
    }

    /// <summary>The id zstd gave it, named in every frame packed with it.</summary>
    public uint Id { get; }

    public byte[] Data { get; }

    /// <summary>A dictionary read back from a store; null when the bytes are not one.</summary>
    public static BodyDictionary? From(byte[] data) =>
        data.Length > 8 && BinaryPrimitives.ReadUInt32LittleEndian(data) == DictionaryMagic
            ? new BodyDictionary(BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4)), data)
            : null;

    /// <summary>
    /// A dictionary trained on sample bodies (each as <see cref="BodyPacking"/> joins them), for packing at our level,
    /// and registered; zstd throws when the samples are too few or too alike.
    /// </summary>
    public static BodyDictionary Train(IReadOnlyCollection<byte[]> samples) =>
        Claim(DictBuilder.TrainFromBufferFastCover(samples, TrainingParameters(), Capacity).ToArray());

    /// <summary>
    /// zstd's trainer with its segment and d-mer sizes chosen here rather than searched for. Left to search, it trained
    /// about forty candidates on several threads (0.3–0.5 s of CPU on 256 bodies, all of it inside a store's first
    /// pass, whose packers wait for the dictionary) and, under load, not always the same one. The one candidate it
    /// trains now costs a fifth of that and packs as small: within 1% of the search's choice on the bench's bodies, and
    /// within 2% either way on the real dispatches of the tests' pairs.json (HISTORY.md, 28 Nov 2026, afternoon).
    /// </summary>
    internal static ZDICT_fastCover_params_t TrainingParameters()
    {
        var parameters = new ZDICT_fastCover_params_t
        {
            k = 500, // bytes a segment of the dictionary: a dateline, a credit, a sentence of furniture
            d = 6, // bytes a d-mer: the unit matched between samples
            f = 20, // 2^20 frequency counters (4 MB while training)
            accel = 1,
            nbThreads = 1,
            splitPoint = 1.0, // no candidates to compare: every sample trains
        };
        parameters.zParams.compressionLevel = Level;
        return parameters;
    }

    /// <summary>
    /// Registers freshly trained dictionary bytes under their id, or under the next free one. Apart from the training
    /// so that it can be shown with bytes known in advance (the trainer's output is zstd's to change from one version
    /// to the next).
    /// </summary>
    internal static BodyDictionary Claim(byte[] data)
    {
        var dictionary = From(data) ?? throw new InvalidOperationException("zstd trained something that is not a dictionary");

        // Its id is a hash of its content: another store's different dictionary under the same id (one chance in two
        // billion, within one process: tests, the bench) would read the wrong bodies, so this one takes another. The
        // id is claimed here, before the store saves the dictionary: no body names it before that.
        while (Known.GetOrAdd(dictionary.Id, dictionary) is var known && !known.Data.AsSpan().SequenceEqual(data))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), dictionary.Id + 1);
            dictionary = From(data)!;
        }

        return Known[dictionary.Id];
    }

    /// <summary>
    /// Makes the dictionary known to <see cref="Unpack"/> in this process: bodies name their dictionary by id only.
    /// The same dictionary registered twice (the store opened again) is one.
    /// </summary>
    public BodyDictionary Register()
    {
        var known = Known.GetOrAdd(Id, this);
        return known.Data.AsSpan().SequenceEqual(Data)
            ? known
            : throw new InvalidOperationException($"Two different body dictionaries have the id {Id}");
    }

    /// <summary>Packs the bytes into one zstd frame that names this dictionary.</summary>
    public byte[] Pack(ReadOnlySpan<byte> bytes)
    {
        if (!compressors.TryDequeue(out var compressor))
        {
            compressor = new Compressor(Level);
            try
            {
                compressor.LoadDictionary(Data);
            }
            catch
            {
                compressor.Dispose();
                throw;
            }
        }

        var rented = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(bytes.Length));
        try
        {
            return rented.AsSpan(0, compressor.Wrap(bytes, rented)).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            Keep(compressors, compressor);
        }
    }

    /// <summary>Unpacks a frame <see cref="Pack"/> made, with the dictionary it names, into a buffer it rents.</summary>
    /// <returns>The rented buffer (return it to the shared pool) and how many of its bytes are the body.</returns>
    public static (byte[] Rented, int Length) Unpack(ReadOnlySpan<byte> frame)
    {
        var id = IdOf(frame);
        if (id == 0)
        {
            throw new InvalidDataException("A packed body names no dictionary");
        }

        if (!Known.TryGetValue(id, out var dictionary))
        {
            throw new InvalidDataException($"A body is packed with dictionary {id}, which this store does not hold");
        }

        if (!dictionary.decompressors.TryDequeue(out var decompressor))
        {
            decompressor = new Decompressor();
            try
            {
                decompressor.LoadDictionary(dictionary.Data);
            }
            catch
            {
                decompressor.Dispose();
                throw;
            }
        }

        try
        {
            var length = checked((int)Decompressor.GetDecompressedSize(frame));
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                return (rented, decompressor.Unwrap(frame, rented));
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(rented);
                throw;
            }
        }
        finally
        {
            Keep(dictionary.decompressors, decompressor);
        }
    }

    private static void Keep<T>(ConcurrentQueue<T> pool, T context)
        where T : IDisposable
    {
        if (pool.Count < Environment.ProcessorCount)
        {
            pool.Enqueue(context);
        }
        else
        {
            context.Dispose();
        }
    }

    /// <summary>The dictionary a frame names in its header (RFC 8878, 3.1.1.1); 0 when it names none.</summary>
    private static uint IdOf(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 6 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != FrameMagic)
        {
            throw new InvalidDataException("A packed body is not a zstd frame");
        }

        var descriptor = frame[4];
        var at = (descriptor & 0x20) != 0 ? 5 : 6; // the window descriptor is left out of single-segment frames
        var size = (descriptor & 3) switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
        if (frame.Length < at + size)
        {
            throw new InvalidDataException("A packed body's zstd frame header is cut short");
        }

        return size switch
        {
            0 => 0,
            1 => frame[at],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(frame[at..]),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(frame[at..]),
        };
    }
}
