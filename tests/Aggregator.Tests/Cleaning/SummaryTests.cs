using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

public class SummaryTests
{
    [Fact]
    public void Summarize_ShortText_IsReturnedWhole()
    {
        Assert.Equal("Une phrase courte.", HtmlCleaner.Summarize("Une phrase courte."));
    }

    [Fact]
    public void Summarize_ParagraphBreaks_AreFolded()
    {
        Assert.Equal("Un. Deux.", HtmlCleaner.Summarize("Un.\n\nDeux."));
    }

    [Fact]
    public void Summarize_SentenceEndNearTheLimit_CutsThereWithoutEllipsis()
    {
        var text = "Le ministre a annoncé un plan. " + new string('x', 10) + " suite de la dépêche qui continue longtemps.";

        var summary = HtmlCleaner.Summarize(text, 45);

        Assert.Equal("Le ministre a annoncé un plan.", summary);
    }

    [Fact]
    public void Summarize_NoSentenceEnd_CutsAtWordWithEllipsis()
    {
        var text = string.Join(' ', Enumerable.Repeat("mot", 200));

        var summary = HtmlCleaner.Summarize(text);

        Assert.EndsWith("mot…", summary, StringComparison.Ordinal);
        Assert.True(summary.Length <= 300);
        Assert.DoesNotContain("mo…", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_NonBreakingSpace_IsNotACutPoint()
    {
        var text = new string('a', 280) + " dit\u00a0: « oui » et bien plus encore " + new string('b', 50);

        var summary = HtmlCleaner.Summarize(text);

        Assert.DoesNotContain("dit…", summary, StringComparison.Ordinal);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_OneHugeWord_IsHardCut()
    {
        var summary = HtmlCleaner.Summarize(new string('z', 1000), 100);

        Assert.Equal(new string('z', 99) + "…", summary);
    }
}
