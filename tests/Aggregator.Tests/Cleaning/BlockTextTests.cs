using System.Text;
using Aggregator.Cleaning;
using HtmlAgilityPack;

namespace Aggregator.Tests.Cleaning;

public class BlockTextTests
{
    private static readonly Uri Base = new("https://www.example.com/fr/a.html");

    /// <summary>Bodies with every shape of white space and link the counting must follow: the fixtures, and some made for it.</summary>
    public static TheoryData<string> Bodies()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "Cleaning"), "*.html").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        data.Add("<p>\u00a0\u00a0 Texte\u00a0</p><p> \t</p><p><a href=\"/a\"> lien </a> puis <a href=\"/b\">\u202fautre</a>\u00a0</p>");
        data.Add("<ul><li>un</li><li> <a href=\"/x\">deux</a> </li></ul><p>a<br>b<br><br></p><div><p>x</p><p><a href=\"/y\"> </a></p></div>");
        data.Add("<table><tr><td>Alger</td><td> 21 °C </td></tr></table><blockquote><p>« Cité »</p></blockquote><pre>  a\n\tb  </pre>");
        data.Add("<p><a href=\"/seul\">Tout en lien</a></p><p>\u2003\u2003</p><h2>\u00a0Titre\u3000</h2>");
        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Measure_EveryBlockOfABody_CountsWhatTheTextHoldsWithoutWritingIt(string body)
    {
        var html = body.EndsWith(".html", StringComparison.Ordinal)
            ? File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Cleaning", body))
            : body;
        var root = Tree(html);

        foreach (var node in Descendants(root).Where(n => !n.IsText))
        {
            var (text, length, linkChars) = BlockText.Measure(node, static (_, _) => true);
            var (expected, expectedLinks) = WrittenOut(node);

            Assert.Equal(expected, text);
            Assert.Equal(expected.Length, length);
            Assert.Equal(expectedLinks, linkChars);
            Assert.Null(BlockText.Measure(node, static (_, _) => false).Text);
        }
    }

    /// <summary>The body read into the cleaner's tree, normalised, before any block is dropped.</summary>
    private static CleanNode Tree(string html)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        var root = TreeBuilder.Build([document.DocumentNode], Base, new HashSet<HtmlNode>());
        TreeNormalizer.Normalize(root);
        return root;
    }

    private static IEnumerable<CleanNode> Descendants(CleanNode node) => node.Children.SelectMany(Descendants).Prepend(node);

    /// <summary>The text written out in full, and the characters written inside links: what the counting must agree with.</summary>
    private static (string Text, int LinkChars) WrittenOut(CleanNode block)
    {
        var builder = new StringBuilder();
        var linkChars = 0;
        Write(block, block.Tag == "a");
        var text = builder.ToString().Trim();
        return (text, Math.Min(linkChars, text.Length));

        void Write(CleanNode node, bool inLink)
        {
            if (node.IsText)
            {
                var before = builder.Length;
                foreach (var c in node.Text)
                {
                    if (c is not (' ' or '\t' or '\n' or '\r' or '\f'))
                    {
                        builder.Append(c);
                    }
                    else if (builder.Length > 0 && builder[^1] != ' ')
                    {
                        builder.Append(' ');
                    }
                }

                linkChars += inLink ? builder.Length - before : 0;
                return;
            }

            if (node.Tag == "br" || (TreeNormalizer.IsBlock(node) && builder.Length > 0))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }

            foreach (var child in node.Children)
            {
                Write(child, inLink || child.Tag == "a");
            }
        }
    }
}
