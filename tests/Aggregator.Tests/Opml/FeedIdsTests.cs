using Aggregator.Configuration;
using Aggregator.Opml;

namespace Aggregator.Tests.Opml;

public sealed class FeedIdsTests
{
    [Theory]
    [InlineData("Le Monde – À la une", "le-monde-a-la-une")]
    [InlineData("Œuvres & Économie", "oeuvres-economie")]
    [InlineData("  RFI  ", "rfi")]
    [InlineData("新华网", "feed")]
    [InlineData("Radio-Canada: Grands titres (Québec) — édition du matin, version longue", "radio-canada-grands-titres-quebec-editio")]
    public void Slugify_Title_GivesAValidId(string title, string id)
    {
        var slug = FeedIds.Slugify(title);

        Assert.Equal(id, slug);
        Assert.Matches(FeedValidator.IdPattern(), slug);
    }

    [Fact]
    public void Unique_TakenSlug_GetsANumber()
    {
        var taken = new HashSet<string> { "rfi", "rfi-2" };

        var id = FeedIds.Unique("RFI", taken);

        Assert.Equal("rfi-3", id);
        Assert.Contains("rfi-3", taken);
    }
}
