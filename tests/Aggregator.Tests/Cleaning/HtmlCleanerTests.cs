using Aggregator.Cleaning;
using Aggregator.Configuration;

namespace Aggregator.Tests.Cleaning;

public class HtmlCleanerTests
{
    private static readonly Uri Base = new("https://news.example/fr/monde/article-1.html");

    private static CleanedBody Clean(string html, CleanRules? rules = null) => new HtmlCleaner().Clean(html, Base, rules);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n ")]
    [InlineData("<p>&nbsp;</p><div><br></div><!-- rien -->")]
    public void Clean_NullEmptyOrBlank_ReturnsEmptyBody(string? html) => Assert.Equal(new CleanedBody("", ""), new HtmlCleaner().Clean(html, Base));

    [Fact]
    public void Clean_ScriptTag_IsRemovedWithItsContent()
    {
        var body = Clean("<p>Un</p><script>alert('x')</script><p>Deux</p>");

        Assert.Equal("<p>Un</p><p>Deux</p>", body.Html);
    }

    [Fact]
    public void Clean_UnknownElements_AreUnwrappedKeepingText()
    {
        var body = Clean("<p><span class=\"x\">Le <font color=red>texte</font></span> reste</p>");

        Assert.Equal("<p>Le texte reste</p>", body.Html);
    }

    [Fact]
    public void Clean_H1_BecomesH2()
    {
        Assert.Equal("<h2>Titre</h2><p>Texte</p>", Clean("<h1 class=\"t\">Titre</h1><p>Texte</p>").Html);
    }

    [Fact]
    public void Clean_DisallowedAttributes_AreDropped()
    {
        var body = Clean("<p class=\"c\" style=\"color:red\" id=\"i\" onclick=\"x()\">Texte <abbr title=\"Organisation des Nations unies\" lang=\"fr\">ONU</abbr></p>");

        Assert.Equal("<p>Texte <abbr title=\"Organisation des Nations unies\">ONU</abbr></p>", body.Html);
    }

    [Fact]
    public void Clean_RelativeLinkAndImage_AreMadeAbsolute()
    {
        var body = Clean("<p><a href=\"../autre.html#x\">lien</a> <img src=\"/img/a.jpg\" alt=\"a\"></p>");

        Assert.Equal("<p><a href=\"https://news.example/fr/autre.html#x\">lien</a> <img src=\"https://news.example/img/a.jpg\" alt=\"a\"></p>", body.Html);
    }

    [Fact]
    public void Clean_SrcsetOnly_UsesFirstCandidateResolved()
    {
        var body = Clean("<p>Photo</p><p><img srcset=\"small.jpg 320w, big.jpg 1024w\" alt=\"\"></p>");

        Assert.Contains("<img src=\"https://news.example/fr/monde/small.jpg\">", body.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<img src=\"https://news.example/p.gif\" width=\"1\" height=\"1\">")]
    [InlineData("<img src=\"http://feeds.feedburner.com/~r/xinhua/~4/abc\">")]
    [InlineData("<img src=\"https://pixel.wp.com/g.gif?blog=1\">")]
    [InlineData("<img src=\"https://www.google-analytics.com/collect?v=1\">")]
    [InlineData("<img src=\"https://stats.example.org/count.png\">")]
    [InlineData("<img alt=\"sans source\">")]
    [InlineData("<img src=\"\">")]
    [InlineData("<img src=\"javascript:alert(1)\">")]
    public void Clean_TrackerOrSourcelessImage_IsRemoved(string image)
    {
        var body = Clean("<p>Texte" + image + "</p>");

        Assert.Equal("<p>Texte</p>", body.Html);
    }

    [Fact]
    public void Clean_MailtoLink_IsKept()
    {
        Assert.Equal("<p><a href=\"mailto:redaction@example.org\">Écrire</a></p>", Clean("<p><a href=\"mailto:redaction@example.org\">Écrire</a></p>").Html);
    }

    [Fact]
    public void Clean_LinkWithForbiddenScheme_IsUnwrappedKeepingText()
    {
        Assert.Equal("<p>Cliquez ici</p>", Clean("<p><a href=\"JaVaScRiPt:alert(1)\">Cliquez ici</a></p>").Html);
    }

    [Fact]
    public void Clean_EmptyParagraphsAndContainers_AreRemoved()
    {
        var body = Clean("<div><p> </p><p>&nbsp;</p><div><span></span></div><p>Texte</p><ul><li> </li></ul><blockquote></blockquote></div>");

        Assert.Equal("<p>Texte</p>", body.Html);
    }

    [Fact]
    public void Clean_Comments_AreRemoved()
    {
        Assert.Equal("<p>Avant après</p>", Clean("<p>Avant <!-- note --> après</p>").Html);
    }

    [Fact]
    public void Clean_DivsAndDoubleBreaks_BecomeParagraphs()
    {
        var body = Clean("<div>Un</div><div>Deux<br><br>Trois<br>suite</div>");

        Assert.Equal("<p>Un</p><p>Deux</p><p>Trois<br>suite</p>", body.Html);
    }

    [Fact]
    public void Clean_BlockInsideParagraph_SplitsTheParagraph()
    {
        Assert.Equal("<p>a</p><ul><li>b</li></ul><p>c</p>", Clean("<p>a<ul><li>b</li></ul>c</p>").Html);
    }

    [Fact]
    public void Clean_DataTable_KeepsStructureWithTbody()
    {
        var body = Clean("<table><tr><th>Ville</th><th>Temp.</th></tr><tr><td>Alger</td><td colspan=\"1\" style=\"x\">21</td></tr></table>");

        Assert.Equal("<table><tbody><tr><th>Ville</th><th>Temp.</th></tr><tr><td>Alger</td><td colspan=\"1\">21</td></tr></tbody></table>", body.Html);
    }

    [Fact]
    public void Clean_Text_SeparatesParagraphsWithBlankLineAndDecodesEntities()
    {
        var body = Clean("<p>L&#8217;&eacute;t&eacute; &amp; l&apos;hiver</p>\n<p>Deuxième   paragraphe\n sur deux lignes</p>");

        Assert.Equal("L’été & l'hiver\n\nDeuxième paragraphe sur deux lignes", body.Text);
    }

    [Fact]
    public void Clean_Text_KeepsFrenchNonBreakingSpaces()
    {
        var body = Clean("<p>Il a dit&nbsp;: «\u202fnon\u202f»&#160;!</p>");

        Assert.Equal("Il a dit\u00a0: «\u202fnon\u202f»\u00a0!", body.Text);
    }

    [Fact]
    public void Clean_Text_PutsListItemsOnTheirOwnLines()
    {
        var body = Clean("<p>Liste :</p><ul><li>un</li><li>deux</li></ul><p>Fin</p>");

        Assert.Equal("Liste :\n\nun\ndeux\n\nFin", body.Text);
    }

    [Fact]
    public void Clean_ContentRule_SelectsTheArticleRoot()
    {
        var rules = new CleanRules("//div[@class='article']", []);

        var body = Clean("<div class=\"menu\"><p>Accueil</p></div><div class=\"article\"><p>Le texte.</p></div>", rules);

        Assert.Equal("<p>Le texte.</p>", body.Html);
    }

    [Fact]
    public void Clean_RemoveRule_DropsTheSelectedBlocks()
    {
        var rules = new CleanRules(null, ["//div[@class='pub']", "//p[@class='note']"]);

        var body = Clean("<p>Le texte.</p><div class=\"pub\"><p>Achetez</p></div><p class=\"note\">Note</p>", rules);

        Assert.Equal("<p>Le texte.</p>", body.Html);
    }

    [Fact]
    public void Clean_InvalidXPathRule_IsIgnored()
    {
        var rules = new CleanRules("//div[", ["///"]);

        Assert.Equal("<p>Le texte.</p>", Clean("<p>Le texte.</p>", rules).Html);
    }

    [Fact]
    public void Clean_HundredThousandNestedDivs_CompletesWithTheText()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "Profond" + string.Concat(Enumerable.Repeat("</div>", 100_000));

        var body = Clean(html);

        Assert.Equal(new CleanedBody("<p>Profond</p>", "Profond"), body);
    }

    [Fact]
    public void Clean_FortyThousandUnclosedBold_CompletesWithTheText()
    {
        var html = "<p>Début</p>" + string.Concat(Enumerable.Repeat("<b>x", 40_000));

        var body = Clean(html);

        Assert.StartsWith("Début\n\nxxx", body.Text, StringComparison.Ordinal);
        Assert.Empty(AllowListAudit.Violations(body.Html));
        Assert.Equal(body, Clean(body.Html));
    }

    [Fact]
    public void Clean_DeepNestingOfHostileMarkup_StillDropsScripts()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 5_000)) + "<script>alert(1)</script><img src=x onerror=alert(1)>Texte";

        var body = Clean(html);

        Assert.Equal("<p>Texte</p>", body.Html);
    }

    [Fact]
    public void Clean_InputOverTheCap_IsCutBeforeParsing()
    {
        var cleaner = new HtmlCleaner(new HtmlCleanerOptions { MaxInputChars = 30 });

        var body = cleaner.Clean("<p>Premier paragraphe</p><p>Second paragraphe trop loin</p>", Base);

        Assert.StartsWith("Premier paragraphe", body.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Second", body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_HalfMegabyteBody_IsCleaned()
    {
        var html = string.Concat(Enumerable.Repeat("<p>Un paragraphe de dépêche assez long pour peser.</p>", 20_000));

        var body = Clean(html);

        Assert.True(body.Html.Length > 0);
        Assert.True(body.Html.Length <= html.Length);
    }

    [Fact]
    public void Clean_MojibakeText_IsRepaired()
    {
        Assert.Equal("Le bâtiment à l’école", Clean("<p>Le bÃ¢timent Ã\u00a0 lâ€™Ã©cole</p>").Text);
    }

    [Fact]
    public void Clean_IsIdempotentOnItsOwnOutput()
    {
        var once = Clean("<div><h1>Titre</h1>Intro<br><br><b>Gras<p>para</p></b><table><tr><td>a</td><td>b</td></tr>x</table></div>");

        Assert.Equal(once, Clean(once.Html));
    }

    [Theory]
    [InlineData("Chine &amp; France : accord")]
    [InlineData("  Deux\n  lignes\t ")]
    [InlineData("L&#8217;Alg&eacute;rie &nbsp;&nbsp; bilan")]
    [InlineData("PrÃ©sident de l'AssemblÃ©e")]
    [InlineData("Réunion\u00a0: bilan &amp;&amp; suite")]
    [InlineData("&lt;script&gt; reste du texte")]
    [InlineData("\u00a0")]
    [InlineData("&#x1F600; &unknown; & seul")]
    public void PlainText_TitleWithoutMarkup_ReadsAsTheSameTextInsideAnElement(string title)
    {
        // A title without '<' is not parsed as HTML: it must read as HtmlAgilityPack's text node would.
        Assert.Equal(HtmlCleaner.PlainText("<span>" + title + "</span>"), HtmlCleaner.PlainText(title));
    }

    [Fact]
    public void PlainText_TitleWithScript_DropsScriptContent()
    {
        Assert.Equal("Foo", HtmlCleaner.PlainText("<script>alert(1)</script>Foo"));
    }

    [Theory]
    [InlineData("Chine &amp; France : accord", "Chine & France : accord")]
    [InlineData("  Deux\n  lignes\t ", "Deux lignes")]
    [InlineData("<b>Gras</b> et <i>italique</i>", "Gras et italique")]
    [InlineData("L&#8217;Alg&eacute;rie", "L’Algérie")]
    [InlineData("PrÃ©sident", "Président")]
    [InlineData("a < b", "a < b")]
    [InlineData("Réunion\u00a0: bilan", "Réunion\u00a0: bilan")]
    [InlineData(null, "")]
    public void PlainText_Title_IsDecodedStrippedAndFolded(string? title, string expected)
    {
        Assert.Equal(expected, HtmlCleaner.PlainText(title));
    }
}
