using Aggregator.Cleaning;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Aggregator.Tests.Cleaning;

/// <summary>
/// The oracle for <see cref="HtmlWriter"/>: HtmlSanitizer's allow-lists, applied to a DOM built straight
/// from the cleaner's tree, serialised by HtmlSanitizer's formatter. The writer must produce the same bytes
/// from the same tree; nothing here shares code with it.
/// </summary>
internal static class SanitizerOracle
{
    // The tree goes in as nodes, so its text is never written out and parsed again before the sanitizer sees it.
    private static readonly HtmlParser Parser = new(
        new HtmlParserOptions(), BrowsingContext.New(AngleSharp.Configuration.Default.Without<IAttributeObserver>()));

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>The tree sanitised and serialised by HtmlSanitizer's own formatter, as its Sanitize would return it.</summary>
    public static string Pass(CleanNode root)
    {
        var document = Parser.ParseDocument(string.Empty);
        var container = document.CreateElement("div");
        Build(document, container, root);
        Sanitizer.SanitizeDom(document, (IHtmlElement)container);
        return container.ChildNodes.ToHtml(HtmlFormatter.Instance);
    }

    private static void Build(IHtmlDocument document, IElement container, CleanNode root)
    {
        var stack = new Stack<(CleanNode Node, INode Parent)>();
        for (var i = root.Children.Count - 1; i >= 0; i--)
        {
            stack.Push((root.Children[i], container));
        }

        while (stack.Count > 0)
        {
            var (node, parent) = stack.Pop();
            if (node.IsText)
            {
                parent.AppendChild(document.CreateTextNode(node.Text));
                continue;
            }

            if (!HtmlVocabulary.AllowedElements.Contains(node.Tag))
            {
                // Only a hole in the cleaner leaves a marker here; like the sanitizer, drop it with its content.
                continue;
            }

            var element = document.CreateElement(node.Tag);
            foreach (var (name, value) in node.Attributes ?? [])
            {
                element.SetAttribute(name, value);
            }

            parent.AppendChild(element);
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push((node.Children[i], element));
            }
        }
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = HtmlSanitizerOptions.Empty();
        options.AllowedTags = new HashSet<string>(HtmlVocabulary.AllowedElements, StringComparer.OrdinalIgnoreCase);
        options.AllowedAttributes = new HashSet<string>(HtmlVocabulary.AllowedAttributes, StringComparer.OrdinalIgnoreCase);
        options.AllowedSchemes = new HashSet<string>(HtmlVocabulary.AllowedSchemes, StringComparer.OrdinalIgnoreCase);
        options.UriAttributes = new HashSet<string>(HtmlVocabulary.UrlAttributes, StringComparer.OrdinalIgnoreCase);
        return new HtmlSanitizer(options) { KeepChildNodes = false, HtmlParserFactory = () => Parser };
    }
}
