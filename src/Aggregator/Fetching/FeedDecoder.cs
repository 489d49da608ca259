using System.Text;

namespace Aggregator.Fetching;

/// <summary>Text decoded from a feed's bytes, and which clue chose the encoding.</summary>
internal sealed record DecodedText(string Text, Encoding Encoding, string ChosenBy);

/// <summary>Decodes feed bytes: BOM, then the HTTP charset, then the XML declaration, then UTF-8.</summary>
internal static class FeedDecoder
{
    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? httpCharset) => throw new NotImplementedException();
}
