using Aggregator.Deduplication;

namespace Aggregator.Tests.Deduplication;

public sealed class FingerprinterTests
{
    private const string Title = "Un séisme de magnitude 5,8 frappe le Xinjiang";
    private const string Text = "URUMQI, 12 novembre (Xinhua) -- Un séisme de magnitude 5,8 a frappé mercredi le district de Jiashi, "
        + "dans la préfecture de Kashgar, selon le Centre de réseaux sismiques de Chine (CENC). Aucune victime n'a été signalée.";

    [Fact]
    public void Compute_SameInputTwice_GivesSameHashes()
    {
        var first = Fingerprinter.Compute(Title, Text);
        var second = Fingerprinter.Compute(Title, Text);

        Assert.Equal((first.SimHash, first.Sketch, first.LeadSketch, first.TextHash), (second.SimHash, second.Sketch, second.LeadSketch, second.TextHash));
    }

    [Fact]
    public void Compute_KnownInput_GivesStoredValues()
    {
        // Fingerprints are stored: if this fails, the hash changed and Fingerprinter.Version must be bumped.
        var fingerprint = Fingerprinter.Compute(Title, Text);

        Assert.Equal(0x562CF1E754ED6AACUL, fingerprint.SimHash);
        Assert.Equal(0x23BDAA4D71413B67UL, fingerprint.TextHash);
        Assert.Equal(new UInt128(0x71EF17ED746CD025, 0x9A6E27ABB648B570), fingerprint.Sketch);

        // The text is shorter than the lead, so the lead sketch covers all of it.
        Assert.Equal(fingerprint.Sketch, fingerprint.LeadSketch);
    }

    [Fact]
    public void Compute_OtherDatelineAndLostAccents_GiveSameTextHash()
    {
        var original = Fingerprinter.Compute(Title, Text);
        var copy = Fingerprinter.Compute("Seisme au Xinjiang", Text
            .Replace("URUMQI, 12 novembre (Xinhua) -- ", "PEKIN, 12 nov (APS) - ", StringComparison.Ordinal)
            .Replace("é", "e", StringComparison.Ordinal));

        Assert.Equal(original.TextHash, copy.TextHash);
        Assert.Equal(original.LeadSketch, copy.LeadSketch);
    }

    [Fact]
    public void Compute_Figures_AreKeptAsFacts()
    {
        var fingerprint = Fingerprinter.Compute(Title, Text);

        Assert.Equal(["5.8"], fingerprint.Evidence.Figures);
    }

    [Fact]
    public void Compute_CapitalisedWordsInsideSentences_AreNames()
    {
        var fingerprint = Fingerprinter.Compute(Title, Text);

        Assert.Equal(["jiashi", "kashgar", "centre", "chine", "cenc"], fingerprint.Evidence.Names);
    }

    [Fact]
    public void Compute_SentenceOpeningCapitals_AreNotNames()
    {
        var fingerprint = Fingerprinter.Compute(Title, Text);

        Assert.DoesNotContain("un", fingerprint.Evidence.Names);
        Assert.DoesNotContain("aucune", fingerprint.Evidence.Names);
    }

    [Fact]
    public void Compute_EmptyBody_FallsBackOnTitle()
    {
        var titleOnly = Fingerprinter.Compute(Title, "");
        var sameTitle = Fingerprinter.Compute(Title, null);

        Assert.NotEqual(0, titleOnly.Evidence.WordCount);
        Assert.Equal(titleOnly.TextHash, sameTitle.TextHash);
    }

    [Fact]
    public void Compute_UnrelatedTexts_AreFarApart()
    {
        var quake = Fingerprinter.Compute(Title, Text);
        var market = Fingerprinter.Compute("La Bourse de Casablanca termine en hausse",
            "Casablanca, 10 nov. (MAP) - La Bourse de Casablanca a terminé la séance de lundi en hausse, son principal indice, le MASI, gagnant 0,62% à 17.845,31 points.");

        Assert.True(ulong.PopCount(quake.SimHash ^ market.SimHash) > 11);
        Assert.NotEqual(quake.TextHash, market.TextHash);
    }
}
