using System.Text;
using System.Xml.Linq;
using Aggregator.Fetching;

namespace Aggregator.Tests.Fetching;

public class FeedDecoderTests
{
    // "L’œuvre – été" as windows-1252 writes it: 0x92 apostrophe, 0x9C œ, 0x96 en dash, 0xE9 é.
    private static readonly byte[] FrenchCp1252 = [0x4C, 0x92, 0x9C, .. "uvre "u8, 0x96, .. " "u8, 0xE9, .. "t"u8, 0xE9];
    private const string FrenchText = "L\u2019\u0153uvre \u2013 \u00E9t\u00E9";

    private static byte[] Document(string declaredEncoding, ReadOnlySpan<byte> title) =>
        [.. Encoding.ASCII.GetBytes($"<?xml version=\"1.0\" encoding=\"{declaredEncoding}\"?>\n<rss><title>"), .. title, .. "</title></rss>"u8];

    [Fact]
    public void Decode_Utf8Bom_IsChosenByBomAndStripped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "<a>\u00E9t\u00E9</a>"u8];

        var decoded = FeedDecoder.Decode(bytes, "ISO-8859-1");

        Assert.Equal("<a>\u00E9t\u00E9</a>", decoded.Text);
        Assert.Equal("bom", decoded.ChosenBy);
        Assert.Equal(Encoding.UTF8.CodePage, decoded.Encoding.CodePage);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    [InlineData("utf-32BE")]
    public void Decode_UnicodeBom_IsChosenByBomAndStripped(string encodingName)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes("<a>\u2019\u0153</a>")];

        var decoded = FeedDecoder.Decode(bytes, null);

        Assert.Equal("<a>\u2019\u0153</a>", decoded.Text);
        Assert.Equal("bom", decoded.ChosenBy);
        Assert.Equal(encoding.CodePage, decoded.Encoding.CodePage);
    }

    [Theory]
    [InlineData("ISO-8859-1")]
    [InlineData("\"ISO-8859-1\"")]
    [InlineData(" 'iso-8859-1' ")]
    [InlineData("iso_8859-1")]
    [InlineData("latin1")]
    [InlineData("l1")]
    [InlineData("cp819")]
    [InlineData("US-ASCII")]
    [InlineData("ascii")]
    [InlineData("windows-1252")]
    public void Decode_LatinOrAsciiHttpCharset_ReadsAsWindows1252(string charset)
    {
        var decoded = FeedDecoder.Decode(FrenchCp1252, charset);

        Assert.Equal(FrenchText, decoded.Text);
        Assert.Equal("http", decoded.ChosenBy);
        Assert.Equal(1252, decoded.Encoding.CodePage);
    }

    [Fact]
    public void Decode_Iso88591Declaration_ReadsCurlyApostropheNotC1Control()
    {
        var bytes = Document("iso-8859-1", FrenchCp1252);

        var decoded = FeedDecoder.Decode(bytes, null);

        Assert.Equal("xml", decoded.ChosenBy);
        Assert.Contains(FrenchText, decoded.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0092', decoded.Text);
        Assert.DoesNotContain('\uFFFD', decoded.Text);
    }

    [Fact]
    public void Decode_HttpCharset_WinsOverXmlDeclaration()
    {
        var bytes = Document("iso-8859-1", "\u00E9t\u00E9"u8);

        var decoded = FeedDecoder.Decode(bytes, "utf-8");

        Assert.Equal("http", decoded.ChosenBy);
        Assert.Contains("<title>\u00E9t\u00E9</title>", decoded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownHttpCharset_FallsThroughToXmlDeclaration()
    {
        var bytes = Document("ISO-8859-1", FrenchCp1252);

        var decoded = FeedDecoder.Decode(bytes, "x-no-such-charset");

        Assert.Equal("xml", decoded.ChosenBy);
        Assert.Equal(1252, decoded.Encoding.CodePage);
    }

    [Fact]
    public void Decode_UnknownDeclaredEncoding_FallsThroughToDefault()
    {
        var bytes = Document("klingon-42", "\u00E9t\u00E9"u8);

        var decoded = FeedDecoder.Decode(bytes, "");

        Assert.Equal("default", decoded.ChosenBy);
        Assert.Contains("<title>\u00E9t\u00E9</title>", decoded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Utf16DeclarationInAsciiCompatibleBytes_IsIgnored()
    {
        var bytes = Document("UTF-16", "\u00E9t\u00E9"u8);

        var decoded = FeedDecoder.Decode(bytes, null);

        Assert.Equal("default", decoded.ChosenBy);
        Assert.Contains("<title>\u00E9t\u00E9</title>", decoded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Utf16WithoutBom_IsRecognisedFromXmlDeclaration()
    {
        var bytes = Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>\u00E9</a>");

        var decoded = FeedDecoder.Decode(bytes, null);

        Assert.Equal("xml", decoded.ChosenBy);
        Assert.Equal("\u00E9", XDocument.Parse(decoded.Text).Root!.Value);
    }

    [Fact]
    public void Decode_NoLabelValidUtf8_IsDefault()
    {
        var decoded = FeedDecoder.Decode("<a>\u00E9t\u00E9 \u2019</a>"u8, null);

        Assert.Equal("<a>\u00E9t\u00E9 \u2019</a>", decoded.Text);
        Assert.Equal("default", decoded.ChosenBy);
    }

    [Fact]
    public void Decode_NoLabelInvalidUtf8_FallsBackToWindows1252()
    {
        var decoded = FeedDecoder.Decode(FrenchCp1252, null);

        Assert.Equal(FrenchText, decoded.Text);
        Assert.Equal("fallback", decoded.ChosenBy);
        Assert.Equal(1252, decoded.Encoding.CodePage);
    }

    [Fact]
    public void Decode_LabelledUtf8WithInvalidBytes_ReplacesThem()
    {
        byte[] bytes = [.. "caf"u8, 0xE9, .. " ok"u8];

        var decoded = FeedDecoder.Decode(bytes, "UTF-8");

        Assert.Equal("caf\uFFFD ok", decoded.Text);
        Assert.Equal("http", decoded.ChosenBy);
    }

    [Fact]
    public void Decode_EmptyInput_IsEmptyText()
    {
        var decoded = FeedDecoder.Decode([], null);

        Assert.Equal(string.Empty, decoded.Text);
        Assert.Equal("default", decoded.ChosenBy);
    }

    [Fact]
    public void Decode_DeclarationDisagreesWithDecoding_TextStillParsesAsXml()
    {
        // Bytes are UTF-8 (HTTP says so) while the declaration claims ISO-8859-1: a string carries
        // no bytes, so XDocument.Parse must ignore the declared encoding.
        var bytes = Document("ISO-8859-1", "L\u2019\u0153uvre"u8);

        var decoded = FeedDecoder.Decode(bytes, "utf-8");
        var document = XDocument.Parse(decoded.Text);

        Assert.Equal("L\u2019\u0153uvre", document.Root!.Element("title")!.Value);
        Assert.Equal("ISO-8859-1", document.Declaration!.Encoding);
    }

    [Fact]
    public void Decode_Utf8BomDocumentDeclaringLatin1_ParsesAsXml()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Document("iso-8859-1", "\u00E9t\u00E9"u8)];

        var decoded = FeedDecoder.Decode(bytes, null);

        Assert.Equal("\u00E9t\u00E9", XDocument.Parse(decoded.Text).Root!.Element("title")!.Value);
    }
}
