using Aggregator.Storage;
using LiteDB;

namespace Aggregator.Tests.Storage;

public sealed class BodyPackingTests
{
    private static readonly string LongHtml = string.Concat(Enumerable.Repeat("<p>PÉKIN, 14 novembre (Xinhua) -- « Dernière mise à jour » : l’énergie.</p>", 40));

    [Fact]
    public void Pack_LargeBodies_AreStoredAsOneCompressedBinary()
    {
        var (html, text) = BodyPacking.Pack(LongHtml, "PÉKIN, 14 novembre");

        Assert.True(html.IsBinary);
        Assert.True(text.IsNull);
        Assert.True(html.AsBinary.Length < LongHtml.Length / 2);
    }

    [Fact]
    public void Unpack_PackedBodies_ReturnsBothExactly()
    {
        var plain = "PÉKIN, 14 novembre (Xinhua) -- l’énergie\u00a0!";
        var (html, text) = BodyPacking.Pack(LongHtml, plain);

        var unpacked = BodyPacking.Unpack(html, text);

        Assert.Equal(LongHtml, unpacked.Html);
        Assert.Equal(plain, unpacked.Text);
    }

    [Fact]
    public void Pack_SmallBodies_StayPlainStrings()
    {
        var (html, text) = BodyPacking.Pack("<p>Corps</p>", "Corps");

        Assert.Equal("<p>Corps</p>", html.AsString);
        Assert.Equal("Corps", text.AsString);
    }

    [Fact]
    public void Unpack_StringsWrittenBeforePacking_ReadBackUnchanged()
    {
        var unpacked = BodyPacking.Unpack(new BsonValue("<p>Ancien</p>"), new BsonValue("Ancien"));

        Assert.Equal(("<p>Ancien</p>", "Ancien"), unpacked);
    }
}
