using System.Text;
using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

public class HtmlCleanerPropertyTests
{
    private const int Samples = 3000;

    private static readonly string[] Tags =
    [
        "p", "div", "span", "a", "b", "i", "em", "strong", "ul", "ol", "li", "table", "tr", "td", "th", "tbody", "img",
        "br", "hr", "h1", "h3", "blockquote", "pre", "code", "figure", "figcaption", "dl", "dt", "dd", "q", "time",
        "script", "style", "iframe", "svg", "math", "form", "input", "button", "textarea", "noscript", "template",
        "object", "embed", "meta", "link", "base", "title", "xmp", "font", "center", "section", "article", "o:p", "x",
    ];

    private static readonly string[] Attributes =
    [
        "href=\"/relatif\"", "href=\"https://ok.example/a?b=1&amp;c=2\"", "href=\"javascript:alert(1)\"", "href=\"JaVaScRiPt:x\"",
        "href=\"java&#x09;script:x\"", "href=\"data:text/html,x\"", "href=\"vbscript:x\"", "href=mailto:a@b.c", "src=\"a.jpg\"",
        "src=\"//cdn.example/b.png\"", "src=\"data:image/png;base64,AAAA\"", "onclick=\"alert(1)\"", "onerror=alert(1)",
        "style=\"color:red\"", "style=\"display:none\"", "class=\"x\"", "id=y", "title=\"t&eacute;\"", "alt=\"\"", "width=1",
        "height=\"1\"", "width=\"300\"", "colspan=2", "datetime=\"2015-11-14\"", "cite=\"javascript:x\"", "srcset=\"c.jpg 2x\"",
        "formaction=\"javascript:x\"", "xlink:href=\"javascript:x\"", "hidden", "data-src=\"lazy.jpg\"", "\"\"\"", "=x",
    ];

    private static readonly string[] Texts =
    [
        "Texte", " ", "  \n ", "&nbsp;", "&amp;", "&lt;script&gt;", "&#x3C;img&#x3E;", "é", "Ã©tÃ©", "«\u00a0guillemets\u00a0»",
        "Lire aussi", "Publicité", "Partager", "(Xinhua/Li Xin)", "Mis à jour le 14/11", "<", ">", "&", "\"", "'", "<!--", "-->",
        "<![CDATA[", "]]>", "</", "<scr", "ipt>", "\u202f", "\t", "javascript:alert(1)",
    ];

    [Fact]
    public void Clean_RandomTagSoup_NeverThrowsAndStaysWithinAllowLists()
    {
        var random = new Random(20151114);
        var cleaner = new HtmlCleaner();
        for (var sample = 0; sample < Samples; sample++)
        {
            var soup = TagSoup(random);

            var cleaned = cleaner.Clean(soup, new Uri("https://news.example/fr/article.html"));

            var violations = AllowListAudit.Violations(cleaned.Html);
            Assert.True(violations.Count == 0, $"sample {sample}: {string.Join(", ", violations)}\n{soup}\n=> {cleaned.Html}");
        }
    }

    [Fact]
    public void Clean_RandomTagSoup_IsIdempotent()
    {
        var random = new Random(1789);
        var cleaner = new HtmlCleaner();
        var baseUri = new Uri("https://news.example/fr/article.html");
        for (var sample = 0; sample < Samples; sample++)
        {
            var soup = TagSoup(random);

            var once = cleaner.Clean(soup, baseUri);
            var twice = cleaner.Clean(once.Html, baseUri);

            Assert.True(once == twice, $"sample {sample}:\n{soup}\n=> {once.Html}\n=> {twice.Html}\n{once.Text}\n---\n{twice.Text}");
        }
    }

    internal static string TagSoup(Random random)
    {
        var builder = new StringBuilder();
        var open = new Stack<string>();
        var pieces = random.Next(1, 60);
        for (var i = 0; i < pieces; i++)
        {
            switch (random.Next(10))
            {
                case 0 or 1 or 2:
                    var tag = Tags[random.Next(Tags.Length)];
                    builder.Append('<').Append(random.Next(4) == 0 ? tag.ToUpperInvariant() : tag);
                    for (var a = random.Next(3); a > 0; a--)
                    {
                        builder.Append(' ').Append(Attributes[random.Next(Attributes.Length)]);
                    }

                    builder.Append(random.Next(12) == 0 ? "" : ">");
                    open.Push(tag);
                    break;
                case 3 or 4:
                    if (open.Count > 0)
                    {
                        builder.Append("</").Append(random.Next(5) == 0 ? Tags[random.Next(Tags.Length)] : open.Pop()).Append('>');
                    }

                    break;
                default:
                    builder.Append(Texts[random.Next(Texts.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }
}
