using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

public class BoilerplateRemoverTests
{
    private const string Dispatch = "<p>ALGER, 12 nov (APS) - Le gouvernement a adopté jeudi le projet de loi de finances pour 2016.</p>";

    private static string CleanText(string html) => new HtmlCleaner().Clean(html, new Uri("https://aps.example/fr/a.html")).Text;

    [Theory]
    [InlineData("<p>Dernière mise à jour à 11h38 le 14/11</p>")]
    [InlineData("<div class=\"date\">Mis à jour le 14 novembre 2015 à 10h05</div>")]
    [InlineData("<p>Publié le : samedi, 14 novembre 2015 10:05</p>")]
    [InlineData("<p>Last updated: Nov 14, 2015 11:38</p>")]
    [InlineData("<p>Published 14 November 2015</p>")]
    [InlineData("<p>Partager</p>")]
    [InlineData("<p>Partager sur Facebook Twitter</p>")]
    [InlineData("<div>Suivez-nous sur <a href=\"https://x.example\">Twitter</a> et Facebook</div>")]
    [InlineData("<p>Share this article</p>")]
    [InlineData("<ul><li><a href=\"/f\">Facebook</a></li><li><a href=\"/t\">Twitter</a></li><li><a href=\"/w\">WhatsApp</a></li></ul>")]
    [InlineData("<p>Publicité</p>")]
    [InlineData("<p>- PUBLICITÉ -</p>")]
    [InlineData("<p>Advertisement</p>")]
    [InlineData("<p>Lire aussi : Le pétrole recule à Londres</p>")]
    [InlineData("<p><strong>À lire aussi</strong> <a href=\"/x\">Le dinar se stabilise face à l'euro</a></p>")]
    [InlineData("<p>A lire aussi</p><ul><li><a href=\"/1\">Titre un</a></li><li><a href=\"/2\">Titre deux</a></li></ul>")]
    [InlineData("<h3>Voir aussi</h3><p><a href=\"/1\">Autre dépêche sans rapport</a></p>")]
    [InlineData("<p>Sur le même sujet :</p><ul><li><a href=\"/1\">Un</a></li></ul>")]
    [InlineData("<p>Articles liés</p>")]
    [InlineData("<p>Read more: <a href=\"/r\">Oil prices fall</a></p>")]
    [InlineData("<p>Related</p><ul><li><a href=\"/1\">One</a></li></ul>")]
    public void Clean_Boilerplate_IsRemovedAndDispatchKept(string boilerplate)
    {
        Assert.Equal(
            "ALGER, 12 nov (APS) - Le gouvernement a adopté jeudi le projet de loi de finances pour 2016.",
            CleanText(Dispatch + boilerplate));
    }

    [Fact]
    public void Clean_LinkDenseBlocksAtTheEnd_AreRemoved()
    {
        var text = CleanText(Dispatch + "<p><a href=\"/a\">Économie</a> | <a href=\"/b\">Sport</a></p><p><a href=\"/c\">Contact</a></p>");

        Assert.DoesNotContain("Économie", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Contact", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p>Partager les richesses du Sud reste une priorité, a déclaré le ministre devant les élus.</p>")]
    [InlineData("<p>Le ministre a appelé à partager les efforts. Publicité et marketing sont aussi concernés.</p>")]
    [InlineData("<p>Voir aussi les mesures adoptées en 2014 pour les régions du Sud, a-t-il ajouté.</p>")]
    [InlineData("<p>Publié le rapport annuel, la banque centrale a revu sa prévision de croissance.</p>")]
    [InlineData("<p>Le texte, mis à jour en 2015, fixe les nouvelles règles, selon le communiqué.</p>")]
    [InlineData("<p>Selon le ministre, <a href=\"/loi\">la loi</a> entrera en vigueur en janvier 2016 après sa publication.</p>")]
    public void Clean_NewsThatMentionsAPhrase_IsKept(string paragraph)
    {
        var text = CleanText(Dispatch + paragraph);

        Assert.Equal(2, text.Split("\n\n").Length);
    }

    [Fact]
    public void Clean_CreditWithoutImage_BecomesAFigcaption()
    {
        var body = new HtmlCleaner().Clean(Dispatch + "<p>(Xinhua/Xie Huanchi)</p>", null);

        Assert.EndsWith("<figure><figcaption>(Xinhua/Xie Huanchi)</figcaption></figure>", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_CreditAfterImage_CaptionsThatImage()
    {
        var body = new HtmlCleaner().Clean("<p><img src=\"https://x.example/a.jpg\"></p><p>(Photo : Xinhua/Li Xin)</p>" + Dispatch, null);

        Assert.StartsWith("<figure><img src=\"https://x.example/a.jpg\"><figcaption>(Photo : Xinhua/Li Xin)</figcaption></figure><p>", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_ImageAndCreditInOneParagraph_BecomeAFigure()
    {
        var body = new HtmlCleaner().Clean("<p><img src=\"https://x.example/a.jpg\"><br>(Xinhua/Li Xin)</p>" + Dispatch, null);

        Assert.StartsWith("<figure><img src=\"https://x.example/a.jpg\"><figcaption>(Xinhua/Li Xin)</figcaption></figure><p>", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_DatelineInParentheses_IsNotTakenForACredit()
    {
        var body = new HtmlCleaner().Clean(Dispatch, null);

        Assert.DoesNotContain("figcaption", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Fold_EveryCharacterBeforeCjk_FoldsAsTheTextsDecompositionWould()
    {
        for (var c = '\0'; c < '\u3000'; c++)
        {
            if (char.IsSurrogate(c))
            {
                continue;
            }

            var text = "Mise " + c + " à jour’s Œuvre";

            Assert.Equal(FoldedByDecomposition(text), BoilerplateRemover.Fold(text));
        }
    }

    /// <summary>The whole text decomposed, accents dropped, lower case, straight apostrophes and plain spaces: what the lookups must give.</summary>
    private static string FoldedByDecomposition(string text)
    {
        var decomposed = text.Normalize(System.Text.NormalizationForm.FormD);
        var folded = new System.Text.StringBuilder();
        foreach (var c in decomposed)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c switch
                {
                    '’' or '‘' => '\'',
                    '\u00a0' or '\u202f' => ' ',
                    _ => char.ToLowerInvariant(c),
                });
            }
        }

        return folded.ToString();
    }
}
