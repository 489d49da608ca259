using Aggregator.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Parsing;

public sealed class FeedHintsTests
{
    private static TimeSpan? HintOf(string fixture)
    {
        var result = FeedParser.Parse(TestData.Text($"Feeds/{fixture}"), new Uri("https://fixture.example/feed.xml"));
        return Assert.IsType<ParseResult.Parsed>(result).Feed.UpdateHint;
    }

    [Fact]
    public void Parse_RssTtl_IsReadInMinutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(60), HintOf("hint-ttl.xml"));
    }

    [Fact]
    public void Parse_SyndicationModuleOnAtom_IsThePeriodDividedByTheFrequency()
    {
        Assert.Equal(TimeSpan.FromHours(6), HintOf("hint-sy-atom.xml"));
    }

    [Fact]
    public void Parse_SyndicationModuleOnRss1_WithoutFrequency_IsOncePerPeriod()
    {
        Assert.Equal(TimeSpan.FromDays(7), HintOf("hint-rss1.xml"));
    }

    [Fact]
    public void Parse_TtlAndSyndicationModule_BothRead()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), HintOf("hint-short.xml"));
    }

    [Fact]
    public void Parse_FeedWithoutHints_HasNone()
    {
        Assert.Null(HintOf("rss2-french.xml"));
    }
}
