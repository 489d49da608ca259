using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

public class HtmlCleanerFixtureTests
{
    private static readonly Uri ItemLink = new("https://www.example.com/fr/afrique/20151114-article.html");

    private static CleanedBody CleanFixture(string name) =>
        new HtmlCleaner().Clean(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Cleaning", name)), ItemLink);

    private static string[] Paragraphs(CleanedBody body) => body.Text.Split("\n\n");

    [Fact]
    public void Clean_XinhuaPage_KeepsTheFourParagraphsWhole()
    {
        var body = CleanFixture("xinhua-page.html");

        Assert.Equal(
            [
                "PÉKIN, 14 novembre (Xinhua) -- Le président chinois s'est entretenu samedi avec son homologue français, a-t-on appris de source officielle.",
                "Les deux dirigeants ont évoqué la coopération dans les domaines de l’énergie, du commerce et de la lutte contre le changement climatique, selon le communiqué publié à l'issue de l'entretien.",
                "«\u00a0Nous devons partager nos expériences\u00a0», a déclaré le président, qui a appelé à renforcer les échanges entre les deux pays dans le cadre du partenariat stratégique global.",
                "La conférence de Paris sur le climat s’ouvrira le 30 novembre. Plus de 150 chefs d'Etat et de gouvernement sont attendus.",
            ],
            Paragraphs(body));
    }

    [Theory]
    [InlineData("Dernière mise à jour")]
    [InlineData("Partager")]
    [InlineData("Facebook")]
    [InlineData("Publicité")]
    [InlineData("Lire aussi")]
    [InlineData("satellite")]
    [InlineData("feedburner")]
    [InlineData("var ad")]
    [InlineData("<table")]
    [InlineData("<p></p>")]
    public void Clean_XinhuaPage_DropsBoilerplate(string fragment)
    {
        var body = CleanFixture("xinhua-page.html");

        Assert.DoesNotContain(fragment, body.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(fragment, body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_XinhuaPage_KeepsCreditAsCaptionOfItsImage()
    {
        var body = CleanFixture("xinhua-page.html");

        Assert.StartsWith(
            "<figure><img src=\"https://www.example.com/20151114/ph_01.jpg\"><figcaption>(Xinhua/Xie Huanchi)</figcaption></figure>",
            body.Html,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_ApsPage_KeepsDispatchIncludingParagraphThatStartsWithPartager()
    {
        var body = CleanFixture("aps-page.html");

        var paragraphs = Paragraphs(body);
        Assert.Equal(4, paragraphs.Length);
        Assert.StartsWith("ALGER, 14 nov (APS) - Le ministre", paragraphs[0], StringComparison.Ordinal);
        Assert.StartsWith("Partager les gains de ce programme", paragraphs[2], StringComparison.Ordinal);
        Assert.EndsWith("premier trimestre 2016.", paragraphs[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Publié le")]
    [InlineData("Suivez-nous")]
    [InlineData("Voir aussi")]
    [InlineData("Sonatrach")]
    [InlineData("Flux RSS")]
    [InlineData("Mentions légales")]
    public void Clean_ApsPage_DropsBoilerplate(string fragment)
    {
        var body = CleanFixture("aps-page.html");

        Assert.DoesNotContain(fragment, body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_France24Page_ResolvesRelativeLinksAndLazyImagesAgainstTheItemLink()
    {
        var body = CleanFixture("france24-page.html");

        Assert.Contains("<a href=\"https://www.example.com/fr/tag/frontieres/\">contrôles aux frontières</a>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://www.example.com/images/2015/11/paris.jpg\" alt=\"La tour Eiffel\">", body.Html, StringComparison.Ordinal);
        Assert.Contains("<figcaption>© AFP</figcaption>", body.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Publié le")]
    [InlineData("Mis à jour")]
    [InlineData("Advertisement")]
    [InlineData("À lire aussi")]
    [InlineData("fil des événements")]
    [InlineData("Share")]
    [InlineData("data:")]
    [InlineData("fb.svg")]
    public void Clean_France24Page_DropsBoilerplate(string fragment)
    {
        var body = CleanFixture("france24-page.html");

        Assert.DoesNotContain(fragment, body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_France24Page_KeepsChapoAndBodyParagraphs()
    {
        var body = CleanFixture("france24-page.html");

        var paragraphs = Paragraphs(body);
        Assert.Equal(4, paragraphs.Length);
        Assert.StartsWith("Les autorités françaises ont décrété", paragraphs[0], StringComparison.Ordinal);
        Assert.EndsWith("a précisé la préfecture.", paragraphs[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xinhua-page.html")]
    [InlineData("aps-page.html")]
    [InlineData("france24-page.html")]
    public void Clean_Fixture_IsIdempotentAndWithinAllowLists(string name)
    {
        var once = CleanFixture(name);

        var twice = new HtmlCleaner().Clean(once.Html, ItemLink);

        Assert.Equal(once, twice);
        Assert.Empty(AllowListAudit.Violations(once.Html));
    }
}
