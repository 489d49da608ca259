using System.Buffers;
using System.Text;

namespace Aggregator.Fetching;

/// <summary>
/// A fetched document's bytes, in the encoding <see cref="FeedDecoder"/> chose: decoded to text only when it is read
/// as text. A refresh that finds most items read before reads them as UTF-8 bytes and decodes only what it parses.
/// </summary>
internal sealed class FetchedText : IDisposable
{
    private readonly Encoding encoding;
    private readonly int offset;
    private readonly int length;
    private readonly bool pooled;
    private byte[]? bytes;
    private string? text;

    private FetchedText(byte[] bytes, int offset, int length, Encoding encoding, bool pooled)
    {
        (this.bytes, this.offset, this.length, this.encoding, this.pooled) = (bytes, offset, length, encoding, pooled);
    }

    public FetchedText(byte[] bytes, Encoding encoding)
        : this(bytes, 0, bytes.Length, encoding, pooled: false)
    {
    }

    /// <summary>Over part of a buffer rented from <see cref="ArrayPool{T}.Shared"/>, which <see cref="Dispose"/> returns.</summary>
    public static FetchedText Rented(byte[] buffer, int offset, int length, Encoding encoding) => new(buffer, offset, length, encoding, pooled: true);

    /// <summary>The whole document as text (decoded once, on first use).</summary>
    public string Text => text ??= encoding.GetString(Bytes);

    /// <summary>Whether the document came as UTF-8, readable as <see cref="Utf8"/> without decoding it.</summary>
    public bool IsUtf8 => encoding.CodePage == Encoding.UTF8.CodePage;

    /// <summary>The bytes of a UTF-8 document, past its byte order mark.</summary>
    public ReadOnlySpan<byte> Utf8 => IsUtf8 ? Bytes : throw new InvalidOperationException($"the document is in {encoding.WebName}, not UTF-8");

    private ReadOnlySpan<byte> Bytes => (bytes ?? throw new ObjectDisposedException(nameof(FetchedText))).AsSpan(offset, length);

    /// <summary>
    /// Gives a rented buffer back and lets go of the text decoded from it: a 200 KB feed is a 400 KB string, which a
    /// refresh held through its whole cleaning, in the collector's young generations (the large-object threshold is
    /// raised above it), and which every collection meanwhile copied (HISTORY.md, 28 Nov 2026, afternoon).
    /// </summary>
    public void Dispose()
    {
        var returned = bytes;
        bytes = null;
        text = null;
        if (pooled && returned is not null)
        {
            ArrayPool<byte>.Shared.Return(returned);
        }
    }
}
