using System.Buffers;
using System.IO.Compression;
using System.Text;
using LiteDB;

namespace Aggregator.Storage;

/// <summary>
/// An item's bodies as its document keeps them: in <c>BodyHtml</c> and <c>BodyText</c> (plain strings when small,
/// else one Brotli stream under <c>BodyHtml</c>), or as one zstd frame under <c>Body</c>. Null parts are left out.
/// </summary>
internal readonly record struct PackedBodies(BsonValue? Html, BsonValue? Text, BsonValue? Body = null)
{
    /// <summary>The bodies of an item document read without the mapper (compaction, the bench's measure).</summary>
    public static PackedBodies Of(BsonDocument item) =>
        new(item[nameof(StoredItem.BodyHtml)], item[nameof(StoredItem.BodyText)], item[StoredItem.BodyField]);
}

/// <summary>
/// How an item's bodies are kept in LiteDB: compressed UTF-8 bytes when large, plain text when small. LiteDB puts
/// another document in a data page only while 2,448 bytes of it are free, so the smaller the document, the fuller the
/// page: packed, an item fits in about a third of its text. With the store's <see cref="BodyDictionary"/>, bodies
/// are packed by zstd with it; before the store has one, by Brotli alone. Stores written before read back unchanged.
/// </summary>
internal static class BodyPacking
{
    /// <summary>Below this many characters (both bodies) the saving does not pay for the work.</summary>
    public const int MinPackedChars = 512;

    // The fastest quality: French prose compresses about as well at 1 as at 5, at a fraction of the cost.
    private const int BrotliQuality = 1;

    // 64 KB: bodies are a few KB, and a larger window only costs memory on every call.
    private const int BrotliWindow = 16;

    /// <summary>
    /// The two bodies as stored: when large, both in one stream (the text repeats the HTML's words, so together they
    /// cost little more than the HTML alone), packed with <paramref name="trainer"/>'s dictionary when it has one, else
    /// by Brotli and offered to it as a sample.
    /// </summary>
    public static PackedBodies Pack(string html, string text, BodyDictionaryTrainer? trainer = null) => Pack(html, text, trainer, null);

    /// <summary>The two bodies as stored, packed with <paramref name="dictionary"/> when large (what compaction writes).</summary>
    public static PackedBodies Pack(string html, string text, BodyDictionary dictionary) => Pack(html, text, null, dictionary);

    /// <summary>The two bodies joined as they are packed: the HTML's UTF-8 length, the HTML, the text (a training sample).</summary>
    public static byte[] Joined(string html, string text)
    {
        var htmlBytes = Encoding.UTF8.GetByteCount(html);
        var joined = new byte[4 + htmlBytes + Encoding.UTF8.GetByteCount(text)];
        Join(html, text, htmlBytes, joined);
        return joined;
    }

    private static void Join(string html, string text, int htmlBytes, Span<byte> joined)
    {
        BitConverter.TryWriteBytes(joined[..4], htmlBytes);
        Encoding.UTF8.GetBytes(html, joined[4..]);
        Encoding.UTF8.GetBytes(text, joined[(4 + htmlBytes)..]);
    }

    private static PackedBodies Pack(string html, string text, BodyDictionaryTrainer? trainer, BodyDictionary? given)
    {
        if (html.Length + text.Length < MinPackedChars)
        {
            return new PackedBodies(new BsonValue(html), new BsonValue(text));
        }

        var htmlBytes = Encoding.UTF8.GetByteCount(html);
        var length = 4 + htmlBytes + Encoding.UTF8.GetByteCount(text);
        var rented = ArrayPool<byte>.Shared.Rent(length + BrotliEncoder.GetMaxCompressedLength(length));
        try
        {
            var joined = rented.AsSpan(0, length);
            Join(html, text, htmlBytes, joined);
            if ((given ?? trainer?.Settled()) is { } dictionary)
            {
                return new PackedBodies(null, null, new BsonValue(dictionary.Pack(joined)));
            }

            trainer?.Offer(joined);
            var output = rented.AsSpan(length);
            return BrotliEncoder.TryCompress(joined, output, out var written, BrotliQuality, BrotliWindow)
                ? new PackedBodies(new BsonValue(output[..written].ToArray()), null)
                : new PackedBodies(new BsonValue(html), new BsonValue(text));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static (string Html, string Text) Unpack(PackedBodies packed) => Unpack(packed, html: true);

    /// <summary>The text alone, the HTML left undecoded: what a search reads of every item it examines.</summary>
    public static string UnpackText(PackedBodies packed) => Unpack(packed, html: false).Text;

    private static (string Html, string Text) Unpack(PackedBodies packed, bool html)
    {
        if (packed.Body is { IsBinary: true } body)
        {
            var (rented, length) = BodyDictionary.Unpack(body.AsBinary);
            try
            {
                return Split(rented, length, html);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        if (packed.Html is not { IsBinary: true } packedHtml)
        {
            return (html ? AsText(packed.Html) : "", AsText(packed.Text));
        }

        var brotli = packedHtml.AsBinary.AsSpan();
        for (var size = brotli.Length * 4; ; size *= 2)
        {
            var rented = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                if (BrotliDecoder.TryDecompress(brotli, rented, out var written))
                {
                    return Split(rented, written, html);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The packed bytes' length, once unpacked: what they hold, for the bench's measure.</summary>
    public static long UnpackedBytes(PackedBodies packed)
    {
        var (html, text) = Unpack(packed);
        return Encoding.UTF8.GetByteCount(html) + Encoding.UTF8.GetByteCount(text);
    }

    private static (string Html, string Text) Split(byte[] joined, int length, bool html)
    {
        var htmlBytes = BitConverter.ToInt32(joined, 0);
        return (html ? Encoding.UTF8.GetString(joined, 4, htmlBytes) : "", Encoding.UTF8.GetString(joined, 4 + htmlBytes, length - 4 - htmlBytes));
    }

    private static string AsText(BsonValue? value) => value is null || value.IsNull ? "" : value.AsString;
}
