using Aggregator.Deduplication;

namespace Aggregator.Tests.Deduplication;

public sealed class DuplicateClassifierTests
{
    private static readonly LabelledSet Set = LabelledSet.Load();
    private readonly DuplicateClassifier _classifier = new();

    [Fact]
    public void Classify_SameTextUnderOtherDateline_IsSameText()
    {
        var verdict = _classifier.Classify(Print("pib-t3"), Print("pib-t3-copy"));

        Assert.True(verdict.IsSameStory);
        Assert.Equal(DuplicateReason.SameText, verdict.Reason);
    }

    [Fact]
    public void Classify_LeadOnlyCopy_IsSharedText()
    {
        var verdict = _classifier.Classify(Print("seisme-jiashi"), Print("seisme-jiashi-lead"));

        Assert.True(verdict.IsSameStory);
        Assert.Equal(DuplicateReason.SharedText, verdict.Reason);
    }

    [Fact]
    public void Classify_CopyWithTyposAndFurniture_IsSameStory()
    {
        Assert.True(_classifier.IsSameStory(Print("li-qiang-davos"), Print("li-qiang-davos-typo")));
        Assert.True(_classifier.IsSameStory(Print("hcp-septembre"), Print("hcp-septembre-boiler")));
    }

    [Fact]
    public void Classify_DailyReportWithOtherFigures_IsConflictingFacts()
    {
        var verdict = _classifier.Classify(Print("bourse-casa-j1"), Print("bourse-casa-j2"));

        Assert.False(verdict.IsSameStory);
        Assert.Equal(DuplicateReason.ConflictingFacts, verdict.Reason);
        Assert.True(verdict.Containment >= new DeduplicationSettings().MinContainment, "the template alone would pass the text check");
    }

    [Fact]
    public void Classify_SameTemplateOtherName_IsConflictingFacts()
    {
        var verdict = _classifier.Classify(Print("tebboune-japon"), Print("tebboune-italie"));

        Assert.Equal(DuplicateReason.ConflictingFacts, verdict.Reason);
    }

    [Fact]
    public void Classify_SamePeopleAnotherEvent_IsDifferentText()
    {
        var verdict = _classifier.Classify(Print("xi-tebboune-entretien"), Print("xi-tebboune-message"));

        Assert.False(verdict.IsSameStory);
        Assert.Equal(DuplicateReason.DifferentText, verdict.Reason);
    }

    [Fact]
    public void Classify_IsSymmetric()
    {
        var a = Print("fifm-ouverture");
        var b = Print("fifm-ouverture-rfi");

        Assert.Equal(_classifier.Classify(a, b), _classifier.Classify(b, a));
    }

    [Fact]
    public void Classify_NameMisspeltByOneLetter_IsNotAConflict()
    {
        var original = Fingerprinter.Compute("Séisme", "URUMQI, 12 nov (Xinhua) -- Un séisme a frappé le district de Jiashi, dans la préfecture de Kashgar. Aucune victime.");
        var misspelt = Fingerprinter.Compute("Séisme", "Un séisme a frappé le district de Jaishi, dans la préfecture de Kashgar. Aucune victime.");

        var verdict = _classifier.Classify(original, misspelt);

        Assert.Equal(0, verdict.FactConflicts);
    }

    [Fact]
    public void Classify_StricterSettings_AreApplied()
    {
        var strict = new DuplicateClassifier(new DeduplicationSettings { MinContainment = 0.99 });

        Assert.False(strict.IsSameStory(Print("fifm-ouverture"), Print("fifm-ouverture-rfi")));
    }

    [Fact]
    public void FindSameStory_CopyOfIndexedDispatch_ReturnsItsId()
    {
        var (index, stored) = IndexOf("bourse-casa-j1", "bourse-casa-j2", "seisme-jiashi");

        var found = _classifier.FindSameStory(Print("bourse-casa-j1-typo"), Set.Dispatches["bourse-casa-j1-typo"].Published, index, id => stored[id]);

        Assert.Equal("bourse-casa-j1", found);
    }

    [Fact]
    public void FindSameStory_LookAlikeOnly_ReturnsNull()
    {
        var (index, stored) = IndexOf("bourse-casa-j2", "seisme-jiashi");

        var found = _classifier.FindSameStory(Print("bourse-casa-j1"), Set.Dispatches["bourse-casa-j1"].Published, index, id => stored[id]);

        Assert.Null(found);
    }

    private static Fingerprint Print(string id)
    {
        var dispatch = Set.Dispatches[id];
        return Fingerprinter.Compute(dispatch.Title, dispatch.Text);
    }

    private static (NearDuplicateIndex Index, Dictionary<string, Fingerprint> Stored) IndexOf(params string[] ids)
    {
        var index = new NearDuplicateIndex();
        var stored = new Dictionary<string, Fingerprint>();
        foreach (var id in ids)
        {
            stored[id] = Print(id);
            index.Add(id, stored[id], Set.Dispatches[id].Published);
        }

        return (index, stored);
    }
}
