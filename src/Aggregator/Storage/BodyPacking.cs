using System.Buffers;
using System.IO.Compression;
using System.Text;
using LiteDB;

namespace Aggregator.Storage;

/// <summary>
/// How an item's bodies are kept in LiteDB: Brotli-compressed UTF-8 bytes when large, plain text when small. LiteDB
/// puts a second document in a data page only when it fits in the page's free-space class, so documents of 2.5 to
/// 4 KB take a whole 8 KB page each: packed, an item fits in about a third. Stores written before read back unchanged.
/// </summary>
internal static class BodyPacking
{
    /// <summary>Below this many characters (both bodies) the saving does not pay for the work.</summary>
    public const int MinPackedChars = 512;

    // The fastest quality: French prose compresses about as well at 1 as at 5, at a fraction of the cost.
    private const int Quality = 1;

    // 64 KB: bodies are a few KB, and a larger window only costs memory on every call.
    private const int Window = 16;

    /// <summary>
    /// The two bodies as stored: when large, both in one Brotli stream under the HTML's field (the text repeats the
    /// HTML's words, so together they cost little more than the HTML alone) and null under the text's.
    /// </summary>
    public static (BsonValue Html, BsonValue Text) Pack(string html, string text)
    {
        if (html.Length + text.Length < MinPackedChars)
        {
            return (new BsonValue(html), new BsonValue(text));
        }

        var htmlBytes = Encoding.UTF8.GetByteCount(html);
        var length = 4 + htmlBytes + Encoding.UTF8.GetByteCount(text);
        var rented = ArrayPool<byte>.Shared.Rent(length + BrotliEncoder.GetMaxCompressedLength(length));
        try
        {
            BitConverter.TryWriteBytes(rented.AsSpan(0, 4), htmlBytes);
            Encoding.UTF8.GetBytes(html, rented.AsSpan(4));
            Encoding.UTF8.GetBytes(text, rented.AsSpan(4 + htmlBytes));
            var output = rented.AsSpan(length);
            return BrotliEncoder.TryCompress(rented.AsSpan(0, length), output, out var written, Quality, Window)
                ? (new BsonValue(output[..written].ToArray()), BsonValue.Null)
                : (new BsonValue(html), new BsonValue(text));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static (string Html, string Text) Unpack(BsonValue? html, BsonValue? text)
    {
        if (html is null || !html.IsBinary)
        {
            return (AsText(html), AsText(text));
        }

        var packed = html.AsBinary.AsSpan();
        for (var size = packed.Length * 4; ; size *= 2)
        {
            var rented = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                if (BrotliDecoder.TryDecompress(packed, rented, out var written))
                {
                    var htmlBytes = BitConverter.ToInt32(rented, 0);
                    return (Encoding.UTF8.GetString(rented, 4, htmlBytes), Encoding.UTF8.GetString(rented, 4 + htmlBytes, written - 4 - htmlBytes));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string AsText(BsonValue? value) => value is null || value.IsNull ? "" : value.AsString;
}
