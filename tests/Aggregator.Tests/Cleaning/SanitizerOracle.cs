using System.Buffers;
using System.Text;
using Aggregator.Cleaning;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Aggregator.Tests.Cleaning;

/// <summary>
/// The oracle for <see cref="HtmlWriter"/>: HtmlSanitizer's allow-lists, applied to a DOM built straight
/// from the cleaner's tree, serialised as HtmlSanitizer's formatter does. This was the pipeline's last
/// gate; the writer must produce the same bytes from the same tree.
/// </summary>
internal static class SanitizerOracle
{
    // No CSS support: style is not allowed, so nothing needs a style sheet parser. No attribute observer
    // either: it parses every img src as the page's image candidate, which only a browser needs. The tree
    // goes in as nodes, so its text is never written out and parsed again.
    private static readonly HtmlParser Parser = new(
        new HtmlParserOptions(), BrowsingContext.New(AngleSharp.Configuration.Default.Without<IAttributeObserver>()));

    // Configured once: HtmlSanitizer is thread-safe for sanitize calls, and building it is not cheap.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    // Parsing even an empty document costs more than the rest of the gate on a short body: each thread keeps
    // one as a factory for nodes. The nodes of a call hang below a container of their own, never attached
    // to that document, so calls share nothing but the factory.
    [ThreadStatic]
    private static IHtmlDocument? _factory;

    public static string Pass(CleanNode root)
    {
        var document = _factory ??= Parser.ParseDocument(string.Empty);
        var container = document.CreateElement("div");
        Build(document, container, root);
        Sanitizer.SanitizeDom(document, (IHtmlElement)container);
        return Write(container);
    }

    /// <summary>
    /// Serialises the sanitised nodes as HtmlSanitizer's formatter does (text escapes &amp; &lt; &gt; and
    /// no-break spaces; attribute values also quotes), into one builder the thread keeps: the formatter
    /// builds a string per tag and per attribute. A &lt;pre&gt; goes through the formatter itself, for
    /// its rules on a leading line break.
    /// </summary>
    private static string Write(IElement container)
    {
        var builder = _output ??= new StringBuilder();
        builder.Clear();
        var stack = _writeStack ??= new Stack<(INode Node, bool Closing)>();
        stack.Clear();
        var children = container.ChildNodes;
        for (var i = children.Length - 1; i >= 0; i--)
        {
            stack.Push((children[i], false));
        }

        while (stack.Count > 0)
        {
            var (node, closing) = stack.Pop();
            if (node is IText text)
            {
                Escape(builder, text.Data, false);
                continue;
            }

            if (node is not IElement element)
            {
                builder.Append(node.ToHtml(HtmlFormatter.Instance));
                continue;
            }

            var name = element.LocalName;
            if (closing)
            {
                builder.Append("</").Append(name).Append('>');
                continue;
            }

            if (name == "pre" || element.NamespaceUri != NamespaceNames.HtmlUri)
            {
                builder.Append(element.ToHtml(HtmlFormatter.Instance));
                continue;
            }

            builder.Append('<').Append(name);
            var attributes = element.Attributes;
            for (var i = 0; i < attributes.Length; i++)
            {
                var attribute = attributes[i]!;
                if (!string.IsNullOrEmpty(attribute.NamespaceUri))
                {
                    builder.Append(' ').Append(attribute.ToHtml(HtmlFormatter.Instance));
                    continue;
                }

                builder.Append(' ').Append(attribute.LocalName).Append("=\"");
                Escape(builder, attribute.Value, true);
                builder.Append('"');
            }

            builder.Append('>');
            if (name is "br" or "img" or "hr")
            {
                continue;
            }

            stack.Push((element, true));
            var nodes = element.ChildNodes;
            for (var i = nodes.Length - 1; i >= 0; i--)
            {
                stack.Push((nodes[i], false));
            }
        }

        var html = builder.ToString();
        if (builder.Capacity > 256 * 1024)
        {
            // One huge page should not pin its buffer to the thread for good.
            _output = null;
        }

        return html;
    }

    private static void Escape(StringBuilder builder, string value, bool inAttribute)
    {
        var span = value.AsSpan();
        var special = inAttribute ? AttributeSpecials : TextSpecials;
        while (true)
        {
            var next = span.IndexOfAny(special);
            if (next < 0)
            {
                builder.Append(span);
                return;
            }

            builder.Append(span[..next]);
            builder.Append(span[next] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => "&nbsp;",
            });
            span = span[(next + 1)..];
        }
    }

    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\u00a0");
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&<>\"\u00a0");

    [ThreadStatic]
    private static StringBuilder? _output;

    [ThreadStatic]
    private static Stack<(INode Node, bool Closing)>? _writeStack;

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
