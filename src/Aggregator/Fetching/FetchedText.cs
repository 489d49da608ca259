using System.Text;

namespace Aggregator.Fetching;

/// <summary>
/// A fetched document's bytes, in the encoding <see cref="FeedDecoder"/> chose: decoded to text only when it is read
/// as text. A refresh that finds most items read before reads them as UTF-8 bytes and decodes only what it parses.
/// </summary>
internal sealed class FetchedText(byte[] bytes, Encoding encoding)
{
    private string? text;
    private byte[]? utf8;

    public Encoding Encoding => encoding;

    /// <summary>The whole document as text (decoded once, on first use).</summary>
    public string Text => text ??= encoding.GetString(bytes);

    /// <summary>The document as UTF-8 without a byte order mark: its own bytes when it came so, else its text encoded.</summary>
    public ReadOnlySpan<byte> Utf8 => encoding.CodePage == Encoding.UTF8.CodePage ? bytes : utf8 ??= Encoding.UTF8.GetBytes(Text);
}
