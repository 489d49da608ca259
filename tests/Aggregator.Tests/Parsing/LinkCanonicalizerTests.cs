using Aggregator.Parsing;

namespace Aggregator.Tests.Parsing;

public class LinkCanonicalizerTests
{
    [Theory]
    [InlineData("HTTPS://WWW.Xinhua.NET/fr/2015-11/13/c_1.htm", "https://www.xinhua.net/fr/2015-11/13/c_1.htm")]
    [InlineData("https://french.news.cn:443/a.htm", "https://french.news.cn/a.htm")]
    [InlineData("http://www.aps.dz:80/a.htm", "http://www.aps.dz/a.htm")]
    [InlineData("http://www.aps.dz:8080/a.htm", "http://www.aps.dz:8080/a.htm")]
    [InlineData("https://www.rfi.fr/fr/afrique/article#comments", "https://www.rfi.fr/fr/afrique/article")]
    [InlineData("https://www.rfi.fr/fr/Afrique/Article-ABC", "https://www.rfi.fr/fr/Afrique/Article-ABC")]
    [InlineData("https://www.rfi.fr/a?", "https://www.rfi.fr/a")]
    [InlineData("https://www.rfi.fr/a?#top", "https://www.rfi.fr/a")]
    [InlineData("https://www.rfi.fr", "https://www.rfi.fr/")]
    public void Canonicalize_SchemeHostPortFragment_AreNormalised(string link, string expected)
    {
        Assert.Equal(expected, LinkCanonicalizer.Canonicalize(new Uri(link)));
    }

    [Theory]
    [InlineData("https://x.fr/a?utm_source=rss&utm_medium=feed&utm_campaign=c&utm_content=1&utm_term=t")]
    [InlineData("https://x.fr/a?UTM_Source=rss")]
    [InlineData("https://x.fr/a?utm_whatever_new=1")]
    [InlineData("https://x.fr/a?fbclid=IwAR0abc")]
    [InlineData("https://x.fr/a?gclid=1&dclid=2&msclkid=3")]
    [InlineData("https://x.fr/a?mc_cid=1&mc_eid=2")]
    [InlineData("https://x.fr/a?xtor=RSS-3&xtref=x")]
    [InlineData("https://x.fr/a?at_medium=rss&at_campaign=c&at_custom1=z")]
    [InlineData("https://x.fr/a?_ga=2.1&igshid=abc&ocid=x&cmpid=y")]
    [InlineData("https://x.fr/a?ns_mchannel=rss&ns_source=x&__twitter_impression=true&echobox=1")]
    public void Canonicalize_OnlyTrackingParameters_LeavesNoQuery(string link)
    {
        Assert.Equal("https://x.fr/a", LinkCanonicalizer.Canonicalize(new Uri(link)));
    }

    [Fact]
    public void Canonicalize_MixedQuery_KeepsOtherParametersInOrder()
    {
        var link = new Uri("https://x.fr/article.php?z=3&utm_source=rss&id=42&xtor=RSS-1&a=1&a=0#x");

        Assert.Equal("https://x.fr/article.php?z=3&id=42&a=1&a=0", LinkCanonicalizer.Canonicalize(link));
    }

    [Fact]
    public void Canonicalize_ParameterMerelyStartingLikeTracking_IsKept()
    {
        var link = new Uri("https://x.fr/a?utm=1&gclidx=2&attr=3&news=4");

        Assert.Equal("https://x.fr/a?utm=1&gclidx=2&attr=3&news=4", LinkCanonicalizer.Canonicalize(link));
    }

    [Fact]
    public void Canonicalize_ValuelessAndEmptyParameters_KeepValuelessDropEmptySegments()
    {
        var link = new Uri("https://x.fr/a?print&&fbclid&page=2");

        Assert.Equal("https://x.fr/a?print&page=2", LinkCanonicalizer.Canonicalize(link));
    }

    [Fact]
    public void Canonicalize_EncodedTrackingName_IsRemoved()
    {
        var link = new Uri("https://x.fr/a?utm%5Fsource=rss&id=1");

        Assert.Equal("https://x.fr/a?id=1", LinkCanonicalizer.Canonicalize(link));
    }

    [Theory]
    [InlineData("https://x.fr/%7Euser/a", "https://x.fr/~user/a")]
    [InlineData("https://x.fr/caf%c3%a9", "https://x.fr/caf%C3%A9")]
    [InlineData("https://x.fr/café", "https://x.fr/caf%C3%A9")]
    [InlineData("https://x.fr/a%2fb", "https://x.fr/a%2Fb")]
    [InlineData("https://x.fr/a/./b/../c", "https://x.fr/a/c")]
    [InlineData("https://x.fr/a b", "https://x.fr/a%20b")]
    [InlineData("https://x.fr/a?q=%c3%a9t%c3%a9", "https://x.fr/a?q=%C3%A9t%C3%A9")]
    public void Canonicalize_PercentEncoding_IsNormalised(string link, string expected)
    {
        Assert.Equal(expected, LinkCanonicalizer.Canonicalize(new Uri(link)));
    }

    [Fact]
    public void Canonicalize_DifferentSpellingsOfOneArticle_AreEqual()
    {
        var a = LinkCanonicalizer.Canonicalize(new Uri("HTTP://French.News.CN:80/2015-11/13/c_134812345.htm?utm_source=rss#p2"));
        var b = LinkCanonicalizer.Canonicalize(new Uri("http://french.news.cn/2015-11/13/c_134812345.htm?xtor=RSS-1"));

        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("https://ÉCOLE.Example.FR/a")]
    [InlineData("https://XN--cole-9oa.example.fr/a")]
    public void Canonicalize_InternationalHost_IsLowerCasePunycode(string link)
    {
        Assert.Equal("https://xn--cole-9oa.example.fr/a", LinkCanonicalizer.Canonicalize(new Uri(link)));
    }

    [Fact]
    public void Canonicalize_Ipv6Host_KeepsBracketsAndPort()
    {
        var link = new Uri("http://[::1]:8080/a?utm_source=x");

        Assert.Equal("http://[::1]:8080/a", LinkCanonicalizer.Canonicalize(link));
    }

    [Fact]
    public void Canonicalize_UserInfo_IsKept()
    {
        var link = new Uri("https://reader@X.fr/a");

        Assert.Equal("https://reader@x.fr/a", LinkCanonicalizer.Canonicalize(link));
    }

    [Fact]
    public void Canonicalize_RelativeLink_LosesOnlyItsFragment()
    {
        var link = new Uri("/fr/Article?id=1#top", UriKind.Relative);

        Assert.Equal("/fr/Article?id=1", LinkCanonicalizer.Canonicalize(link));
    }

    [Fact]
    public void Canonicalize_LinkWithoutAuthority_LosesOnlyItsFragment()
    {
        var link = new Uri("mailto:redaction@x.fr#a");

        Assert.Equal("mailto:redaction@x.fr", LinkCanonicalizer.Canonicalize(link));
    }
}
