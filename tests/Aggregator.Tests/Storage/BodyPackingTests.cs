using Aggregator.Storage;
using LiteDB;

namespace Aggregator.Tests.Storage;

public sealed class BodyPackingTests
{
    private static readonly string LongHtml = string.Concat(Enumerable.Repeat("<p>PÉKIN, 14 novembre (Xinhua) -- « Dernière mise à jour » : l’énergie.</p>", 40));

    [Fact]
    public void Pack_LargeBodiesWithoutDictionary_AreOneBrotliBinaryUnderTheHtml()
    {
        var packed = BodyPacking.Pack(LongHtml, "PÉKIN, 14 novembre");

        Assert.True(packed.Html!.IsBinary);
        Assert.Null(packed.Text);
        Assert.Null(packed.Body);
        Assert.True(packed.Html.AsBinary.Length < LongHtml.Length / 2);
    }

    [Fact]
    public void Unpack_PackedBodies_ReturnsBothExactly()
    {
        var plain = "PÉKIN, 14 novembre (Xinhua) -- l’énergie\u00a0!";
        var packed = BodyPacking.Pack(LongHtml, plain);

        var unpacked = BodyPacking.Unpack(packed);

        Assert.Equal(LongHtml, unpacked.Html);
        Assert.Equal(plain, unpacked.Text);
    }

    [Fact]
    public void UnpackText_EachLayout_ReturnsTheTextAloneAsUnpackReadsIt()
    {
        var trainer = BodyDictionaryTests.TrainedTrainer();
        var (html, text) = BodyDictionaryTests.Dispatch(9_998);
        PackedBodies[] layouts =
        [
            BodyPacking.Pack(html, text, trainer),
            BodyPacking.Pack(html, text),
            BodyPacking.Pack("<p>Corps</p>", "Corps"),
            new PackedBodies(new BsonValue("<p>Ancien</p>"), new BsonValue("Ancien")),
        ];

        Assert.Equal([text, text, "Corps", "Ancien"], layouts.Select(BodyPacking.UnpackText));
        Assert.Equal(layouts.Select(p => BodyPacking.Unpack(p).Text), layouts.Select(BodyPacking.UnpackText));
    }

    [Fact]
    public void Unpack_BrotliWrittenBeforeDictionaries_WithANullText_ReadsBack()
    {
        var packed = BodyPacking.Pack(LongHtml, "Texte");

        var unpacked = BodyPacking.Unpack(new PackedBodies(packed.Html, BsonValue.Null));

        Assert.Equal((LongHtml, "Texte"), unpacked);
    }

    [Fact]
    public void Pack_SmallBodies_StayPlainStrings()
    {
        var packed = BodyPacking.Pack("<p>Corps</p>", "Corps", BodyDictionaryTests.TrainedTrainer());

        Assert.Equal("<p>Corps</p>", packed.Html!.AsString);
        Assert.Equal("Corps", packed.Text!.AsString);
        Assert.Null(packed.Body);
    }

    [Fact]
    public void Unpack_StringsWrittenBeforePacking_ReadBackUnchanged()
    {
        var unpacked = BodyPacking.Unpack(new PackedBodies(new BsonValue("<p>Ancien</p>"), new BsonValue("Ancien")));

        Assert.Equal(("<p>Ancien</p>", "Ancien"), unpacked);
    }

    [Fact]
    public void Pack_WithTheStoresDictionary_IsOneZstdFrameUnderBody_AndReadsBackExactly()
    {
        var trainer = BodyDictionaryTests.TrainedTrainer();
        var (html, text) = BodyDictionaryTests.Dispatch(9_999);

        var packed = BodyPacking.Pack(html, text, trainer);

        Assert.Null(packed.Html);
        Assert.Null(packed.Text);
        Assert.True(packed.Body!.IsBinary);
        Assert.Equal((html, text), BodyPacking.Unpack(packed));
    }

    [Fact]
    public void Pack_WithTheStoresDictionary_IsAQuarterSmallerThanBrotli()
    {
        var trainer = BodyDictionaryTests.TrainedTrainer();
        long brotli = 0, zstd = 0;
        for (var i = 0; i < 100; i++)
        {
            var (html, text) = BodyDictionaryTests.Dispatch(10_000 + i);
            brotli += BodyPacking.Pack(html, text).Html!.AsBinary.Length;
            zstd += BodyPacking.Pack(html, text, trainer).Body!.AsBinary.Length;
        }

        Assert.True(zstd < brotli * 3 / 4, $"zstd with the dictionary {zstd} bytes, Brotli {brotli}");
    }
}
