using System.Text.RegularExpressions;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Export;

namespace Aggregator.Tests.Export;

/// <summary>The home page's markup: stories, French times in the configured zone, outlets, categories, health.</summary>
public sealed partial class HtmlPageTests : IDisposable
{
    private readonly HtmlPageFixture fixture = new();

    [Fact]
    public void Render_Page_IsFrenchAndSizedForPhones()
    {
        var html = fixture.Render();

        Assert.StartsWith("<!doctype html>\n<html lang=\"fr\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_Story_TitleLinksToTheCanonicalArticle()
    {
        var html = fixture.Render();

        Assert.Contains("<h2><a href=\"https://xinhua.example/2026/aero.htm\">Aéronautique civile : la Chine et la France signent un accord</a></h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Pékin et Paris renforcent", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MergedStory_ListsTheOtherOutletsWithTheirLinks()
    {
        var html = fixture.Render();

        Assert.Contains(
            "Aussi publié par\u00A0: <a href=\"https://aps.example/monde/aero-chine-france\">APS – Algérie Presse Service</a>, <a href=\"https://map.example/aero\">MAP Express</a>",
            html,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TitleWithMarkupCharacters_StaysText()
    {
        var html = fixture.Render();

        Assert.Contains("Sahel : « trois pays » &amp; une force commune &lt;en projet&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<en projet>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Times_AreInParisTimeInFrench()
    {
        var html = fixture.Render();

        Assert.Contains("<time datetime=\"2026-11-26T13:05:00Z\">26 nov. 2026 à 14:05</time>", html, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2026-07-14T08:30:00Z\">14 juil. 2026 à 10:30</time>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TimeZoneSetting_ShowsTimesInThatZone()
    {
        using var montreal = new HtmlPageFixture("America/Montreal");

        var html = montreal.Render();

        Assert.Contains(">26 nov. 2026 à 08:05</time>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Stories_LinkTheirCategoryFeed()
    {
        var html = fixture.Render();

        Assert.Contains("<span class=\"outlet\">RFI</span>", html, StringComparison.Ordinal);
        Assert.Contains("<a class=\"category\" href=\"/c/monde.atom\">monde</a>", html, StringComparison.Ordinal);
        Assert.Equal(["afrique", "chine", "monde"], NavCategories(html));
    }

    [Fact]
    public void Render_Footer_LinksEveryFeedOfEveryCategory()
    {
        var html = fixture.Render();

        Assert.Contains("<li>afrique : <a href=\"/c/afrique.atom\">Atom</a> · <a href=\"/c/afrique.rss\">RSS</a> · <a href=\"/c/afrique.json\">JSON</a></li>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/feed.atom\">Atom</a> · <a href=\"/feed.rss\">RSS</a> · <a href=\"/feed.json\">JSON</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Health_CountsSourcesUpToDateAndFailing()
    {
        var html = fixture.Render();

        Assert.Contains("<p class=\"health failing\">4 sources à jour, 1 en échec</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LinkThatIsNotAWebAddress_IsNotClickable()
    {
        var html = fixture.Render();

        Assert.Contains("<h2>Une dépêche au lien douteux</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_Page_IsWellFormedMarkup()
    {
        var html = fixture.Render();

        // Every element the page writes is closed, so it parses as XML once the doctype and void tags are set aside.
        var xml = VoidElement().Replace(html["<!doctype html>\n".Length..], "<$1$2/>");
        var root = XDocument.Parse(xml).Root!;

        Assert.Equal(4, root.Descendants("article").Count());
    }

    [Fact]
    public void Render_NoStories_SaysSo()
    {
        var empty = new FeedDocument(new OutputSettings(), [], new Dictionary<string, Outlet>(), new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc));
        var config = new AggregatorConfig(new FeedDefaults(), new OutputSettings(), []);

        var html = HtmlPage.Render(empty, config, new SourceHealth(0, 0, 0));

        Assert.Contains("Aucune dépêche pour l’instant.", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(14, 2, 0, "14 sources à jour, 2 en échec")]
    [InlineData(1, 0, 0, "1 source à jour")]
    [InlineData(0, 1, 1, "0 sources à jour, 1 en échec, 1 pas encore lue")]
    public void HealthText_Counts_ReadAsFrench(int upToDate, int failing, int waiting, string expected) =>
        Assert.Equal(expected, new SourceHealth(upToDate, failing, waiting).Text());

    public void Dispose() => fixture.Dispose();

    [GeneratedRegex("<nav aria-label=\"Rubriques\".*?</nav>", RegexOptions.Singleline)]
    private static partial Regex CategoryNavBlock();

    [GeneratedRegex("<a href=\"/c/[^\"]+\\.atom\">([^<]+)</a>")]
    private static partial Regex CategoryLink();

    [GeneratedRegex("<(meta|link)([^>]*)>")]
    private static partial Regex VoidElement();

    private static List<string> NavCategories(string html) =>
        [.. CategoryLink().Matches(CategoryNavBlock().Match(html).Value).Select(m => m.Groups[1].Value)];
}
