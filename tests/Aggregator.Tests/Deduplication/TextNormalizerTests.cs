using Aggregator.Deduplication;

namespace Aggregator.Tests.Deduplication;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("PÉKIN, 13 novembre (Xinhua) -- La Chine a lancé un satellite.")]
    [InlineData("ALGER, 12 nov (APS) - La Chine a lancé un satellite.")]
    [InlineData("RABAT, 5 mars (MAP) – La Chine a lancé un satellite.")]
    [InlineData("Rabat, 05/03/2026 (MAP) - La Chine a lancé un satellite.")]
    [InlineData("Pékin, le 13 novembre 2026 (Le Quotidien du Peuple en ligne) - La Chine a lancé un satellite.")]
    [InlineData("ALGER - La Chine a lancé un satellite.")]
    [InlineData("WENCHANG (Chine), 24 novembre (AFP) - La Chine a lancé un satellite.")]
    public void Normalize_LeadingDateline_IsRemoved(string text)
    {
        var normalized = TextNormalizer.Normalize(text);

        Assert.Equal("la chine a lance un satellite", normalized);
    }

    [Fact]
    public void Normalize_ProseOpeningWithNameAndColon_IsKept()
    {
        var normalized = TextNormalizer.Normalize("Xi Jinping : « La Chine restera ouverte »");

        Assert.Equal("xi jinping la chine restera ouverte", normalized);
    }

    [Fact]
    public void Normalize_HyphenatedCapitalsAtStart_AreKept()
    {
        var normalized = TextNormalizer.Normalize("COVID-19 : la Chine lève les restrictions");

        Assert.Equal("covid 19 la chine leve les restrictions", normalized);
    }

    [Fact]
    public void Normalize_WireTagsInsideText_AreRemoved()
    {
        var normalized = TextNormalizer.Normalize("Le ministre (APS) a parlé (Xinhua/Xie Huanchi) hier (Photo : AFP) soir (MAP).");

        Assert.Equal("le ministre a parle hier soir", normalized);
    }

    [Fact]
    public void Normalize_ParenthesesThatAreNotTags_AreKeptAsWords()
    {
        var normalized = TextNormalizer.Normalize("Le Centre de réseaux sismiques de Chine (CENC) a précisé");

        Assert.Equal("le centre de reseaux sismiques de chine cenc a precise", normalized);
    }

    [Fact]
    public void Normalize_AccentsAndCase_AreFolded()
    {
        var normalized = TextNormalizer.Normalize("Élève ÇA où Ouïgour Bejaïa Noël à Şanlıurfa");

        Assert.Equal("eleve ca ou ouigour bejaia noel a sanliurfa", normalized);
    }

    [Fact]
    public void Normalize_Ligatures_AreExpanded()
    {
        var normalized = TextNormalizer.Normalize("Œuvre du cœur, Cæsar");

        Assert.Equal("oeuvre du coeur caesar", normalized);
    }

    [Theory]
    [InlineData("l'armée", "l armee")]
    [InlineData("d’Algérie", "d algerie")]
    [InlineData("aujourd'hui", "aujourd hui")]
    public void Normalize_Apostrophes_SplitWords(string text, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(text));

    [Theory]
    [InlineData("1 000 morts", "1000 morts")]
    [InlineData("1\u00A0000 morts", "1000 morts")]
    [InlineData("1\u202F000 morts", "1000 morts")]
    [InlineData("1.000 morts", "1000 morts")]
    [InlineData("1 000 000 de dollars", "1000000 de dollars")]
    [InlineData("12,5 %", "12.5")]
    [InlineData("3 245,6 points", "3245.6 points")]
    [InlineData("17.845,31 points", "17845.31 points")]
    [InlineData("en 2015 200 morts", "en 2015 200 morts")]
    [InlineData("1, 2, 3", "1 2 3")]
    public void Normalize_Digits_LoseTheirFormatting(string text, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(text));

    [Fact]
    public void Normalize_NonBreakingSpacesAndPunctuation_AreFolded()
    {
        var normalized = TextNormalizer.Normalize("Attention\u00A0: «\u202Fpluies\u202F» ! Fin…");

        Assert.Equal("attention pluies fin", normalized);
    }

    [Fact]
    public void Normalize_EmptyText_IsEmpty()
    {
        Assert.Equal("", TextNormalizer.Normalize(""));
        Assert.Empty(TextNormalizer.Words("  \n "));
    }

    [Fact]
    public void Words_SameTextFromTwoOutlets_AreEqual()
    {
        var xinhua = TextNormalizer.Words("PEKIN, 20 octobre (Xinhua) -- Le PIB a progressé de 4,8 %.");
        var dailyWithoutAccents = TextNormalizer.Words("Pékin, le 20 octobre 2026 (Le Quotidien du Peuple) - Le PIB a progresse de 4,8\u00A0%.");

        Assert.Equal(xinhua, dailyWithoutAccents);
    }

    [Fact]
    public void Tokenize_NameAfterAbbreviation_DoesNotStartSentence()
    {
        var words = TextNormalizer.Tokenize("Le président, M. Tebboune, a reçu. Le ministre");

        var tebboune = Assert.Single(words, w => w.Word == "tebboune");
        Assert.True(tebboune.IsCapitalized);
        Assert.False(tebboune.StartsSentence);
        Assert.True(words[^2].StartsSentence);
    }

    [Fact]
    public void Tokenize_Figures_AreMarkedAsNumbers()
    {
        var words = TextNormalizer.Tokenize("Magnitude 5,8 le 13 novembre");

        Assert.Equal(["5.8", "13"], words.Where(w => w.IsNumber).Select(w => w.Word));
    }
}
