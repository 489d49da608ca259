using System.Collections.Frozen;
using HtmlAgilityPack;

namespace Aggregator.Cleaning;

/// <summary>
/// Removes what surrounds an article on its web page (site header, menus, share bars, related links, comments,
/// ads, footer) before the extractor scores what is left, so their text cannot win or dilute the choice.
/// </summary>
internal static class PageFurniture
{
    private static readonly FrozenSet<string> ChromeElements = FrozenSet.Create(StringComparer.Ordinal,
        "nav", "footer", "aside", "menu", "h1");

    private static readonly FrozenSet<string> ChromeRoles = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search", "dialog", "alertdialog");

    /// <summary>Found anywhere in class or id: long enough not to hide inside ordinary words.</summary>
    private static readonly string[] ChromeParts =
    [
        "comment", "share", "sharing", "social", "related", "sidebar", "footer", "promo", "advert", "newsletter",
        "cookie", "breadcrumb", "partage", "reseaux", "outbrain", "taboola", "sponsor", "popup", "modal", "menu",
        "navbar", "navigation", "masthead", "publicite", "paywall", "subscribe", "abonne",
    ];

    /// <summary>Matched as whole words of class or id only: as parts they would hide in « address », « pubdate »...</summary>
    private static readonly FrozenSet<string> ChromeWords = FrozenSet.Create(StringComparer.Ordinal,
        "ad", "ads", "pub", "nav", "header", "banner", "aussi", "tags", "overlay", "toolbar");

    /// <summary>A class or id naming only the content itself keeps its element, whatever its other names say.</summary>
    private static readonly string[] ContentParts = ["article", "body", "content", "main", "story", "entry", "chapo"];

    public static void Strip(HtmlNode root)
    {
        var doomed = new List<HtmlNode>();
        var stack = new Stack<(HtmlNode Node, bool InArticle)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, inArticle) = stack.Pop();
            if (node.NodeType is not (HtmlNodeType.Element or HtmlNodeType.Document))
            {
                continue;
            }

            if (node != root && IsFurniture(node, inArticle))
            {
                doomed.Add(node);
                continue;
            }

            var childrenInArticle = inArticle || node.Name == "article";
            foreach (var child in node.ChildNodes)
            {
                stack.Push((child, childrenInArticle));
            }
        }

        Detach(doomed);
    }

    /// <summary>Takes the nodes out of their page, all at once.</summary>
    public static void Detach(IEnumerable<HtmlNode> nodes)
    {
        var doomed = nodes.ToHashSet();
        foreach (var siblings in doomed.Where(n => n.ParentNode is not null).GroupBy(n => n.ParentNode!))
        {
            var last = siblings.Last();
            if (siblings.Skip(1).Any())
            {
                // Removing one by one scans the parent's child list each time: quadratic on a page of 100,000 bars.
                var parent = siblings.Key;
                var kept = parent.ChildNodes.Where(c => c == last || !doomed.Contains(c)).ToList();
                parent.ChildNodes.Clear();
                foreach (var child in kept)
                {
                    parent.ChildNodes.Append(child);
                }
            }

            // Remove also marks the ancestors changed, so their OuterHtml is written anew rather than cut from the source.
            last.Remove();
        }
    }

    private static bool IsFurniture(HtmlNode element, bool inArticle)
    {
        var name = element.Name;
        // Some CMS wrap the whole page in one <form>: only the controls inside it go.
        if ((HtmlVocabulary.DroppedWithContent.Contains(name) && name != "form") || ChromeElements.Contains(name))
        {
            return true;
        }

        // An article's own header holds its lead paragraph; the site's header holds menus.
        if (name == "header")
        {
            return !inArticle;
        }

        if (name is "html" or "body" or "article" or "main" or "a")
        {
            return false;
        }

        return IsHidden(element) || ChromeRoles.Contains(element.GetAttributeValue("role", "")) || HasChromeName(element);
    }

    private static bool IsHidden(HtmlNode element)
    {
        if (element.Attributes.Contains("hidden"))
        {
            return true;
        }

        var style = element.GetAttributeValue("style", "");
        if (style.Length == 0)
        {
            return false;
        }

        var compact = style.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return compact.Contains("display:none", StringComparison.Ordinal) || compact.Contains("visibility:hidden", StringComparison.Ordinal);
    }

    /// <summary>
    /// Judged name by name: « article__comments » is chrome although it names the article, while a page wrapper
    /// « main has-sidebar » is not, because one of its names is about content alone.
    /// </summary>
    private static bool HasChromeName(HtmlNode element)
    {
        var names = (element.GetAttributeValue("class", "") + " " + element.Id).ToLowerInvariant()
            .Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);
        var chrome = false;
        foreach (var name in names)
        {
            if (IsChrome(name))
            {
                chrome = true;
            }
            else if (ContentParts.Any(part => name.Contains(part, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return chrome;
    }

    private static bool IsChrome(string name) =>
        ChromeParts.Any(part => name.Contains(part, StringComparison.Ordinal))
        || name.Split(['-', '_'], StringSplitOptions.RemoveEmptyEntries).Any(ChromeWords.Contains);
}
