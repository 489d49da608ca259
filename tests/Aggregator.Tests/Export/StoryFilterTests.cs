using Aggregator.Configuration;
using Aggregator.Deduplication;
using Aggregator.Export;
using Aggregator.Storage;

namespace Aggregator.Tests.Export;

/// <summary>Which canonical items a filtered variant keeps; the filters over HTTP are in FeedQueryTests.</summary>
public sealed class StoryFilterTests
{
    private const string Body =
        "<p>PÉKIN, 12 novembre (Xinhua) -- Le séisme de magnitude 5,2 a frappé la province du Sichuan, a annoncé "
        + "le Centre chinois des réseaux sismiques.</p>";

    private static readonly AggregatorConfig Config = new(
        new FeedDefaults(), new OutputSettings(), [new FeedConfig { Id = "xinhua", Name = "Xinhua", Url = new Uri("http://127.0.0.1/x.xml") }]);

    [Theory]
    [InlineData("sichuan seisme", true)]
    [InlineData("sichuan japon", false)]
    public void Matches_ASearch_KeepsTheItemsHoldingEveryWord(string q, bool expected)
    {
        var filter = new StoryFilter(new FeedQuery { Words = TextNormalizer.Words(q) }, Config);

        Assert.True(filter.ReadsText);
        Assert.Equal(expected, filter.Matches(new StoredItem { FeedId = "xinhua", Title = "Séisme", BodyHtml = Body, BodyText = Body }));
    }

    [Fact]
    public void Matches_NoSearch_ReadsNoText() => Assert.False(new StoryFilter(new FeedQuery { Feed = "xinhua" }, Config).ReadsText);

    [Fact]
    public void Matches_ASearch_KeepsNoneOfTheTextsWords()
    {
        var filter = new StoryFilter(new FeedQuery { Words = TextNormalizer.Words("sichuan seisme") }, Config);
        var text = string.Concat(Enumerable.Repeat(Body + " ", 20));
        var item = new StoredItem { FeedId = "xinhua", Title = "Séisme", BodyHtml = text, BodyText = text };
        Assert.True(filter.Matches(item));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            filter.Matches(item);
        }

        // Counted, not timed: a set of the text's words cost tens of kilobytes a call here; scanning them keeps
        // nothing but the normaliser's scratch.
        Assert.InRange((GC.GetAllocatedBytesForCurrentThread() - before) / 100, 0, 1024);
    }
}
