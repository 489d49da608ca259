using Aggregator.Deduplication;
using Aggregator.Export;

namespace Aggregator.Tests.Export;

/// <summary>A search's words against an item's title and text, as the normaliser reads both.</summary>
public sealed class WordSearchTests
{
    private const string Body =
        "<p>PÉKIN, 12 novembre (Xinhua) -- Le séisme de magnitude 5,2 a frappé la province du Sichuan, a annoncé "
        + "le Centre chinois des réseaux sismiques. Aucune victime n'a été signalée à 3 245 habitants près de l'épicentre.</p>";

    [Theory]
    [InlineData("seisme", true)]
    [InlineData("SÉISME sichuan", true)]
    [InlineData("Séisme Chine", true)]
    [InlineData("Séisme Japon", false)]
    [InlineData("seis", false)]
    [InlineData("3245", true)]
    [InlineData("pluie inondation", false)]
    [InlineData("tremblement", true)]
    [InlineData("tremblement sichuan seisme tremblement", true)]
    public void FoundIn_TitleAndText_HoldsOnlyWhenEveryWordIsThere(string q, bool expected)
    {
        var search = new WordSearch(TextNormalizer.Words(q));

        Assert.Equal(expected, search.FoundIn("Tremblement de terre en Chine centrale", Body));
    }

    [Fact]
    public void FoundIn_CalledAgain_ForgetsTheWordsOfTheLastText()
    {
        var search = new WordSearch(TextNormalizer.Words("seisme sichuan"));

        Assert.True(search.FoundIn(Body));
        Assert.False(search.FoundIn("Un séisme au Japon"));
        Assert.False(search.FoundIn("Pluies au Sichuan"));
    }
}
