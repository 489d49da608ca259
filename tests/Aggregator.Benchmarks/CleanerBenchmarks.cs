using System.Text;
using Aggregator.Cleaning;
using BenchmarkDotNet.Attributes;
using HtmlAgilityPack;

namespace Aggregator.Benchmarks;

/// <summary>HtmlCleaner.Clean on a ~3 KB wire body and a ~100 KB page, each beside its floor (HtmlAgilityPack's parse alone).</summary>
[MemoryDiagnoser]
public class CleanerBenchmarks
{
    private static readonly Uri ItemLink = new("https://french.example.cn/20151114/article.htm");

    private readonly HtmlCleaner _cleaner = new();
    private string _wireBody = "";
    private string _page = "";

    [GlobalSetup]
    public void Setup()
    {
        _wireBody = WireBody();
        var page = new StringBuilder("<html><head><title>Page</title><script>var a = 1;</script><style>p{}</style></head><body>");
        while (page.Length < 100 * 1024)
        {
            page.Append("<div class=\"bloc\"><ul class=\"menu\"><li><a href=\"/a\">Accueil</a></li><li><a href=\"/b\">Monde</a></li></ul>")
                .Append(_wireBody)
                .Append("<table><tr><td>Alger</td><td>21 °C</td></tr><tr><td>Oran</td><td>19 °C</td></tr></table></div>");
        }

        _page = page.Append("</body></html>").ToString();
    }

    [Benchmark]
    public string Clean3KB() => _cleaner.Clean(_wireBody, ItemLink).Html;

    [Benchmark]
    public HtmlDocument LoadHtml3KB() => Load(_wireBody);

    [Benchmark]
    public string Clean100KB() => _cleaner.Clean(_page, ItemLink).Html;

    [Benchmark]
    public HtmlDocument LoadHtml100KB() => Load(_page);

    private static HtmlDocument Load(string html)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        return document;
    }

    private static string WireBody()
    {
        var body = new StringBuilder()
            .Append("<div class=\"info\">Dernière mise à jour à 11h38 le 14/11</div>")
            .Append("<div class=\"share\">Partager sur <a href=\"https://www.facebook.com/sharer.php\">Facebook</a> <a href=\"https://twitter.com/share\">Twitter</a></div>")
            .Append("<table><tr><td><img src=\"\" border=\"0\"></td></tr></table>")
            .Append("<p align=\"center\"><img src=\"/20151114/ph_01.jpg\" alt=\"\"></p><p align=\"center\">(Xinhua/Xie Huanchi)</p>");
        for (var i = 0; i < 5; i++)
        {
            body.Append("<p>PÉKIN, 14 novembre (Xinhua) -- Le président chinois s&#39;est entretenu samedi avec son homologue ")
                .Append("français au sujet de la coopération dans les domaines de l&#8217;énergie, du commerce et de la lutte ")
                .Append("contre le changement climatique, a-t-on appris de <a href=\"/source\">source officielle</a>. «&nbsp;Nous ")
                .Append("devons partager nos expériences&nbsp;», a déclaré le président.</p>");
        }

        return body
            .Append("<div class=\"ad\"><p>Publicité</p><script>var ad = 1;</script></div>")
            .Append("<p>Lire aussi :</p><ul><li><a href=\"/a.htm\">La Chine lance un satellite</a></li><li><a href=\"/b.htm\">Hausse des exportations</a></li></ul>")
            .Append("<img src=\"http://feeds.feedburner.com/~r/french/~4/abc\" height=\"1\" width=\"1\">")
            .ToString();
    }
}
