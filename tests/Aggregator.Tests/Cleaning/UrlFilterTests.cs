using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

public class UrlFilterTests
{
    private static readonly Uri Base = new("https://news.example/fr/a/b.html");

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("java&#x09;script:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData(" \u0001javascript:alert(1)")]
    [InlineData("&#106;avascript:alert(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("vbscript:x")]
    [InlineData("ftp://files.example/a")]
    [InlineData("c:\\windows")]
    [InlineData("")]
    public void Filter_ForbiddenScheme_ReturnsNull(string raw)
    {
        Assert.Null(UrlFilter.Filter(raw, Base));
    }

    [Theory]
    [InlineData("c.html", "https://news.example/fr/a/c.html")]
    [InlineData("/x?y=1&amp;z=2", "https://news.example/x?y=1&z=2")]
    [InlineData("//cdn.example/i.png", "https://cdn.example/i.png")]
    [InlineData("  https://other.example/p  ", "https://other.example/p")]
    [InlineData("HTTP://Other.Example/P", "http://other.example/P")]
    [InlineData("mailto:a@b.example", "mailto:a@b.example")]
    [InlineData("#note", "https://news.example/fr/a/b.html#note")]
    public void Filter_AllowedUrl_IsAbsolute(string raw, string expected)
    {
        Assert.Equal(expected, UrlFilter.Filter(raw, Base));
    }

    [Fact]
    public void Filter_RelativeWithoutBase_IsKeptRelative()
    {
        Assert.Equal("/img/a.jpg", UrlFilter.Filter("/img/a.jpg", null));
    }

    [Theory]
    [InlineData("http://feeds.feedburner.com/~r/xinhua/~4/abc", true)]
    [InlineData("https://pixel.wp.com/g.gif", true)]
    [InlineData("https://stats.wordpress.com/b.gif", true)]
    [InlineData("https://stats.example.org/c.png", true)]
    [InlineData("https://www.google-analytics.com/collect", true)]
    [InlineData("https://news.example/img/stats.png", false)]
    [InlineData("https://feeds.feedburner.com/xinhua", false)]
    public void IsTracker_KnownHosts_AreRecognised(string url, bool expected)
    {
        Assert.Equal(expected, UrlFilter.IsTracker(url));
    }
}
