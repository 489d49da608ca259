using System.Text;
using Aggregator.Cleaning;
using Aggregator.Configuration;
using HtmlAgilityPack;

namespace Aggregator.Tests.Cleaning;

public class ArticleExtractorTests
{
    private static readonly CleanRules ApsRules = new(
        "//div[@class='itemFullText']",
        ["//div[@class='itemFullText']/div[@class='encadre']", "//p[@class='itemSource']"]);

    public static TheoryData<string> ArticlePages => ["france24-article.html", "xinhua-tables.html", "rfi-article-element.html"];

    private static string Page(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Cleaning", "Pages", name));

    /// <summary>Texts of the fixture's elements marked data-expect="in" or "out", as a reader sees them.</summary>
    private static List<string> Marked(string html, string expect)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        return [.. document.DocumentNode.SelectNodes($"//*[@data-expect='{expect}']")!.Select(n => HtmlCleaner.PlainText(n.OuterHtml))];
    }

    /// <summary>The longer text runs inside the "out" blocks: short ones (« France ») may rightly occur in the article.</summary>
    private static List<string> MarkedOutRuns(string html)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        return
        [
            .. document.DocumentNode.SelectNodes("//*[@data-expect='out']//text()")!
                .Select(t => HtmlCleaner.PlainText(t.InnerText))
                .Where(t => t.Length >= 20),
        ];
    }

    private static void AssertExtracts(string page, string? result)
    {
        Assert.NotNull(result);
        var text = HtmlCleaner.PlainText(result);
        foreach (var paragraph in Marked(page, "in"))
        {
            Assert.Contains(paragraph, text, StringComparison.Ordinal);
        }

        var outRuns = MarkedOutRuns(page);
        Assert.NotEmpty(outRuns);
        foreach (var run in outRuns)
        {
            Assert.DoesNotContain(run, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ArticlePages))]
    public void Extract_NewsPage_KeepsArticleAndDropsFurniture(string name)
    {
        var page = Page(name);

        var result = ArticleExtractor.Extract(page, null);

        AssertExtracts(page, result);
    }

    [Theory]
    [MemberData(nameof(ArticlePages))]
    public void Extract_ThenClean_KeepsEveryArticleParagraph(string name)
    {
        var page = Page(name);
        var pageUrl = new Uri("https://www.example.com/fr/20151212-article.html");

        var body = new HtmlCleaner().Clean(ArticleExtractor.Extract(page, null), pageUrl);

        foreach (var paragraph in Marked(page, "in"))
        {
            Assert.Contains(paragraph, body.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Extract_France24Page_KeepsChapoBeforeBody()
    {
        var result = ArticleExtractor.Extract(Page("france24-article.html"), null);

        Assert.NotNull(result);
        var chapo = result.IndexOf("Après deux semaines", StringComparison.Ordinal);
        var body = result.IndexOf("Le texte, présenté", StringComparison.Ordinal);
        Assert.InRange(chapo, 0, body);
    }

    [Fact]
    public void Extract_RfiPage_ChoosesTheMainArticleElement()
    {
        var result = ArticleExtractor.Extract(Page("rfi-article-element.html"), null);

        Assert.NotNull(result);
        Assert.StartsWith("<article class=\"t-content t-content--article\">", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_ContentAndRemoveRules_ReturnSelectedNodeWithoutRemovedBlocks()
    {
        var page = Page("aps-rules.html");

        var result = ArticleExtractor.Extract(page, ApsRules);

        AssertExtracts(page, result);
        Assert.StartsWith("<div class=\"itemFullText\">", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_ContentRuleMatchingSeveralNodes_JoinsThemInPageOrder()
    {
        var rules = new CleanRules("//div[@class='itemFullText']/p", []);

        var result = ArticleExtractor.Extract(Page("aps-rules.html"), rules);

        Assert.NotNull(result);
        Assert.Equal(4, result.Split("\n").Length);
        Assert.StartsWith("<p data-expect=\"in\">ALGER - ", result, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//div[@class='nothing-here']")]
    [InlineData("//div[@class=")]
    public void Extract_ContentRuleMatchingNothingOrInvalid_FallsBackToTheGuess(string xpath)
    {
        var rules = new CleanRules(xpath, []);

        var result = ArticleExtractor.Extract(Page("france24-article.html"), rules);

        Assert.NotNull(result);
        Assert.Contains("Le texte, présenté en fin de matinée", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_RemoveRuleWithoutContentRule_AppliesToTheGuess()
    {
        var rules = new CleanRules(null, ["//div[contains(@class,'t-content__chapo')]"]);

        var result = ArticleExtractor.Extract(Page("france24-article.html"), rules);

        Assert.NotNull(result);
        Assert.DoesNotContain("Après deux semaines", result, StringComparison.Ordinal);
        Assert.Contains("Le texte, présenté en fin de matinée", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_ShareBarAfterEveryParagraph_RemovesEveryBar()
    {
        var blocks = Enumerable.Range(1, 300).Select(i =>
            $"<p>Paragraphe {i}, assez long pour compter comme du texte, avec une virgule.</p><div class=\"share\">Partager {i}</div>");
        var page = "<html><body><div>" + string.Concat(blocks) + "</div></body></html>";

        var result = ArticleExtractor.Extract(page, null);

        Assert.NotNull(result);
        Assert.DoesNotContain("Partager", result, StringComparison.Ordinal);
        Assert.Contains("Paragraphe 1,", result, StringComparison.Ordinal);
        Assert.Contains("Paragraphe 300,", result, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("article__comments")]
    [InlineData("article-share")]
    [InlineData("related-content")]
    public void Extract_ChromeNamedAfterTheArticle_IsDropped(string chromeClass)
    {
        var paragraphs = string.Concat(Enumerable.Range(1, 4).Select(i =>
            $"<p>Paragraphe {i} de la dépêche, assez long pour compter, avec des virgules, des chiffres et des noms.</p>"));
        var page = $"<html><body><div class=\"article__body\">{paragraphs}<div class=\"{chromeClass}\"><p>Texte de la boîte annexe, qui ne fait pas partie de l'article, même s'il est long.</p></div></div></body></html>";

        var result = ArticleExtractor.Extract(page, null);

        Assert.NotNull(result);
        Assert.Contains("Paragraphe 4 de la dépêche", result, StringComparison.Ordinal);
        Assert.DoesNotContain("boîte annexe", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_PageWrapperNamedMainAndSidebar_IsKept()
    {
        var paragraphs = string.Concat(Enumerable.Range(1, 4).Select(i =>
            $"<p>Paragraphe {i} de la dépêche, assez long pour compter, avec des virgules, des chiffres et des noms.</p>"));
        var page = $"<html><body><div id=\"main\" class=\"layout has-sidebar\"><div>{paragraphs}</div></div></body></html>";

        var result = ArticleExtractor.Extract(page, null);

        Assert.NotNull(result);
        Assert.Contains("Paragraphe 4 de la dépêche", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_HomePageOfLinkLists_FindsNoArticle()
    {
        var result = ArticleExtractor.Extract(Page("home-link-lists.html"), null);

        Assert.True(result is null || HtmlCleaner.PlainText(result).Length < 200, result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<html><body><p>Page introuvable.</p></body></html>")]
    public void Extract_EmptyOrTinyPage_ReturnsNull(string page)
    {
        Assert.Null(ArticleExtractor.Extract(page, null));
    }

    [Fact]
    public void Extract_FiftyThousandNestedDivs_DoesNotCrash()
    {
        var page = new StringBuilder("<html><body>");
        page.Insert(page.Length, "<div>", 50_000);
        page.Append("Un paragraphe, enfoui sous cinquante mille blocs, qui ne devrait pas faire tomber le service.");
        page.Insert(page.Length, "</div>", 50_000);
        page.Append("</body></html>");

        var result = ArticleExtractor.Extract(page.ToString(), null);

        Assert.Null(result);
    }

    [Fact]
    public void Extract_DeepButAllowedNesting_StillFindsTheArticle()
    {
        var paragraphs = string.Concat(Enumerable.Range(1, 5).Select(i =>
            $"<p>Paragraphe {i} de la dépêche, assez long pour compter, avec des virgules, des chiffres et des noms.</p>"));
        var page = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 200)) + paragraphs
            + string.Concat(Enumerable.Repeat("</div>", 200)) + "</body></html>";

        var result = ArticleExtractor.Extract(page, null);

        Assert.NotNull(result);
        Assert.Contains("Paragraphe 5 de la dépêche", result, StringComparison.Ordinal);
    }
}
