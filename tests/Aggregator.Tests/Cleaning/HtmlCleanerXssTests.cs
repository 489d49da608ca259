using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

public class HtmlCleanerXssTests
{
    private const string Swallows = "[swallows] ";

    internal static readonly Uri Base = new("https://news.example/fr/2015/11/14/article.html");

    public static TheoryData<string> Vectors()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Cleaning", "xss-vectors.txt"));
        var data = new TheoryData<string>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            data.Add(line);
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastSixtyVectors() => Assert.True(Vectors().Count >= 60);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Clean_HostileVector_LeavesOnlyAllowedMarkup(string vector)
    {
        var cleaned = new HtmlCleaner().Clean(Wrap(vector), Base);

        Assert.Empty(AllowListAudit.Violations(cleaned.Html));
        Assert.DoesNotContain("<script", cleaned.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Clean_HostileVector_KeepsTheLegitimateTextAround(string vector)
    {
        var swallows = vector.StartsWith(Swallows, StringComparison.Ordinal);

        var cleaned = new HtmlCleaner().Clean(Wrap(vector), Base);

        Assert.StartsWith("Avant", cleaned.Text, StringComparison.Ordinal);
        if (!swallows)
        {
            Assert.Contains("Après", cleaned.Text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Clean_HostileVector_IsIdempotent(string vector)
    {
        var cleaner = new HtmlCleaner();
        var once = cleaner.Clean(Wrap(vector), Base);

        var twice = cleaner.Clean(once.Html, Base);

        Assert.Equal(once, twice);
    }

    internal static string Wrap(string vector) =>
        "<p>Avant</p>" + (vector.StartsWith(Swallows, StringComparison.Ordinal) ? vector[Swallows.Length..] : vector) + "<p>Après</p>";
}
