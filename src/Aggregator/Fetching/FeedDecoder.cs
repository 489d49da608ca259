using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Aggregator.Fetching;

/// <summary>Text decoded from a feed's bytes, and which clue chose the encoding.</summary>
internal sealed record DecodedText(string Text, Encoding Encoding, string ChosenBy);

/// <summary>Decodes feed bytes: BOM, then the HTTP charset, then the XML declaration, then UTF-8.</summary>
internal static partial class FeedDecoder
{
    private const int DeclarationSniffLength = 1024;

    // WHATWG Encoding Standard: every Latin-1 and ASCII label means windows-1252, because outlets
    // that declare ISO-8859-1 write curly quotes, œ and dashes from the 0x80-0x9F range.
    private static readonly HashSet<string> Windows1252Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
        "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
        "x-cp1252", "iso-ir-6", "csascii", "us", "iso646-us", "cp367", "ibm367",
    };

    private static readonly HashSet<string> Utf8Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8",
    };

    private static readonly Encoding Windows1252;

    static FeedDecoder()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    /// <summary>The bytes decoded whole, in the encoding <see cref="Choose"/> picks (the fetcher keeps the bytes and decodes them as they are read).</summary>
    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? httpCharset)
    {
        var (encoding, skip, chosenBy) = Choose(bytes, httpCharset);
        return new DecodedText(encoding.GetString(bytes[skip..]), encoding, chosenBy);
    }

    /// <summary>The encoding <see cref="Decode"/> would read the bytes in, the length of their byte order mark, and which clue chose it.</summary>
    public static (Encoding Encoding, int Skip, string ChosenBy) Choose(ReadOnlySpan<byte> bytes, string? httpCharset)
    {
        var (bomEncoding, bomLength) = DetectBom(bytes);
        if (bomEncoding is not null)
        {
            return (bomEncoding, bomLength, "bom");
        }

        if (ResolveLabel(httpCharset) is { } httpEncoding)
        {
            return (httpEncoding, 0, "http");
        }

        if (SniffDeclaration(bytes) is { } declaredEncoding)
        {
            return (declaredEncoding, 0, "xml");
        }

        // Unlabelled Latin-1 is common on the wire; valid UTF-8 is very unlikely to be anything else.
        return Utf8.IsValid(bytes) ? (Encoding.UTF8, 0, "default") : (Windows1252, 0, "fallback");
    }

    private static (Encoding? Encoding, int Length) DetectBom(ReadOnlySpan<byte> bytes)
    {
        // UTF-32 LE first: its BOM starts with the UTF-16 LE one.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return (Encoding.UTF32, 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return (new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Encoding.UTF8, 3);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode, 2);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Encoding.BigEndianUnicode, 2);
        }

        return (null, 0);
    }

    private static Encoding? SniffDeclaration(ReadOnlySpan<byte> bytes)
    {
        // A BOM-less UTF-16 document still opens with "<?" in its own encoding.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00, 0x3F, 0x00]))
        {
            return Encoding.Unicode;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C, 0x00, 0x3F]))
        {
            return Encoding.BigEndianUnicode;
        }

        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, DeclarationSniffLength)]);
        var match = XmlDeclarationEncoding().Match(head);
        if (!match.Success)
        {
            return null;
        }

        // A declaration readable as ASCII cannot be in UTF-16 or UTF-32, whatever it says.
        var encoding = ResolveLabel(match.Groups["label"].Value);
        return encoding is null || encoding.GetByteCount("<") > 1 ? null : encoding;
    }

    private static Encoding? ResolveLabel(string? label)
    {
        var name = label?.Trim().Trim('"', '\'').Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (Windows1252Labels.Contains(name))
        {
            return Windows1252;
        }

        if (Utf8Labels.Contains(name))
        {
            return Encoding.UTF8;
        }

        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            // Encoding has no TryGetEncoding; an unknown label just means "ask the next clue".
            return null;
        }
    }

    [GeneratedRegex("""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["'](?<label>[A-Za-z0-9._:\-]+)["']""")]
    private static partial Regex XmlDeclarationEncoding();
}
