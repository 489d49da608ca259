using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

/// <summary>
/// The writer is the pipeline's last gate. HtmlSanitizer, configured with the same allow-lists, is its oracle:
/// from the same tree both must write the same bytes, on the hostile corpus, random tag soup, the fixture
/// pages, and trees the cleaner would never build.
/// </summary>
public class HtmlWriterTests
{
    private static readonly HtmlCleaner Cleaner = new();

    [Theory]
    [MemberData(nameof(HtmlCleanerXssTests.Vectors), MemberType = typeof(HtmlCleanerXssTests))]
    public void Write_HostileVector_MatchesHtmlSanitizer(string vector) =>
        AssertSameAsOracle(Cleaner.CleanTree(HtmlCleanerXssTests.Wrap(vector), HtmlCleanerXssTests.Base));

    [Fact]
    public void Write_RandomTagSoup_MatchesHtmlSanitizer()
    {
        var random = new Random(18481122);
        var baseUri = new Uri("https://news.example/fr/article.html");
        for (var sample = 0; sample < 3000; sample++)
        {
            var soup = HtmlCleanerPropertyTests.TagSoup(random);
            AssertSameAsOracle(Cleaner.CleanTree(soup, baseUri), soup);
        }
    }

    [Fact]
    public void Write_FixturePages_MatchHtmlSanitizer()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "Cleaning");
        var pages = Directory.GetFiles(folder, "*.html", SearchOption.AllDirectories);
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            AssertSameAsOracle(Cleaner.CleanTree(File.ReadAllText(page), new Uri("https://www.example.com/fr/article.html")), page);
        }
    }

    [Fact]
    public void Write_ElementsOutsideTheAllowList_AreDroppedWithTheirContent()
    {
        var root = Tree(
            Element("p", Text("avant")),
            Element("script", Text("alert(1)")),
            Element("iframe", Element("p", Text("dedans"))),
            Element("div", Text("caché")),
            Element("p", Text("après")));

        Assert.Equal("<p>avant</p><p>après</p>", HtmlWriter.Write(root));
        AssertSameAsOracle(root);
    }

    [Theory]
    [InlineData("onclick", "alert(1)")]
    [InlineData("style", "background:url(javascript:alert(1))")]
    [InlineData("href", "javascript:alert(1)")]
    [InlineData("href", "JaVaScRiPt:alert(1)")]
    [InlineData("href", "java\tscript:alert(1)")]
    [InlineData("href", " \u0001javascript:alert(1)")]
    [InlineData("href", "data:text/html,<script>alert(1)</script>")]
    [InlineData("href", "vbscript:msgbox(1)")]
    [InlineData("cite", "javascript:alert(1)")]
    [InlineData("srcset", "x.jpg 1x")]
    [InlineData("formaction", "javascript:alert(1)")]
    public void Write_AttributeOutsideTheAllowList_IsDropped(string name, string value)
    {
        var link = Element("a", Text("lien"));
        link.Attributes = [new(name, value)];

        Assert.Equal("<p><a>lien</a></p>", HtmlWriter.Write(Tree(Element("p", link))));
        AssertSameAsOracle(Tree(Element("p", link)));
    }

    [Theory]
    [InlineData("https://news.example/a?b=1&c=2", "https://news.example/a?b=1&amp;c=2")]
    [InlineData("mailto:redaction@news.example", "mailto:redaction@news.example")]
    [InlineData("/relatif/page.html", "/relatif/page.html")]
    [InlineData("page.html?q=\"x\"", "page.html?q=&quot;x&quot;")]
    public void Write_AllowedUrl_IsKeptAndEscaped(string href, string written)
    {
        var link = Element("a", Text("lien"));
        link.Attributes = [new("href", href), new("title", "« titre »\u00a0<b>")];

        Assert.Equal($"<p><a href=\"{written}\" title=\"« titre »&nbsp;&lt;b&gt;\">lien</a></p>", HtmlWriter.Write(Tree(Element("p", link))));
        AssertSameAsOracle(Tree(Element("p", link)));
    }

    [Fact]
    public void Write_TextThatLooksLikeMarkup_IsEscaped()
    {
        var root = Tree(Element("p", Text("<script>alert('x')</script> & «\u00a0ok\u00a0»")));

        Assert.Equal("<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; «&nbsp;ok&nbsp;»</p>", HtmlWriter.Write(root));
        AssertSameAsOracle(root);
    }

    [Fact]
    public void Write_PreStartingWithALineBreak_KeepsIt()
    {
        var root = Tree(Element("pre", Text("\nligne 1\n  ligne 2")));

        Assert.Equal("<pre>\n\nligne 1\n  ligne 2</pre>", HtmlWriter.Write(root));
        AssertSameAsOracle(root);
    }

    [Fact]
    public void Write_VoidElements_HaveNoClosingTag()
    {
        var image = Element("img");
        image.Attributes = [new("src", "https://news.example/a.jpg"), new("alt", "")];
        var root = Tree(Element("p", Text("a"), Element("br"), Text("b")), Element("hr"), Element("figure", image));

        Assert.Equal("<p>a<br>b</p><hr><figure><img src=\"https://news.example/a.jpg\" alt=\"\"></figure>", HtmlWriter.Write(root));
        AssertSameAsOracle(root);
    }

    private static void AssertSameAsOracle(CleanNode? root, string? input = null)
    {
        if (root is null)
        {
            return;
        }

        var expected = SanitizerOracle.Pass(root);
        var actual = HtmlWriter.Write(root);
        Assert.True(expected == actual, $"input: {input}\noracle: {expected}\nwriter: {actual}");
    }

    private static CleanNode Tree(params CleanNode[] children) => new(CleanNode.RootTag) { Children = [.. children] };

    private static CleanNode Element(string tag, params CleanNode[] children) => new(tag) { Children = [.. children] };

    private static CleanNode Text(string text) => CleanNode.NewText(text);
}
