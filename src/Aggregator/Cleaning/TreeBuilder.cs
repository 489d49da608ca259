using System.Buffers;
using System.Net;
using System.Text;
using HtmlAgilityPack;

namespace Aggregator.Cleaning;

/// <summary>Reads a parsed page into the cleaner's tree, keeping only allowed elements and safe attributes.</summary>
internal static class TreeBuilder
{
    private readonly record struct Frame(HtmlNode Node, CleanNode Parent, bool InPre, bool InPhrasing, bool InLink);

    public static CleanNode Build(IReadOnlyList<HtmlNode> roots, Uri? baseUri, IReadOnlySet<HtmlNode> removed)
    {
        var root = new CleanNode(CleanNode.RootTag);
        var stack = new Stack<Frame>();
        for (var i = roots.Count - 1; i >= 0; i--)
        {
            stack.Push(new Frame(roots[i], root, false, false, false));
        }

        while (stack.Count > 0)
        {
            var frame = stack.Pop();
            var node = frame.Node;
            switch (node.NodeType)
            {
                case HtmlNodeType.Text:
                    AppendText(frame.Parent, ((HtmlTextNode)node).Text, frame.InPre);
                    break;
                case HtmlNodeType.Document:
                    PushChildren(stack, node, frame);
                    break;
                case HtmlNodeType.Element when removed.Count == 0 || !removed.Contains(node):
                    Visit(stack, frame, baseUri);
                    break;
                default:
                    break;
            }
        }

        return root;
    }

    public static void AppendText(CleanNode parent, string raw, bool inPre)
    {
        var text = raw.Contains('&') ? WebUtility.HtmlDecode(raw) : raw;
        text = MojibakeRepair.Repair(text);
        if (!inPre)
        {
            text = CollapseSpaces(text);
        }

        if (text.Length == 0)
        {
            return;
        }

        // Adjacent runs are merged once, by the normaliser: merging here, piece by piece, is quadratic.
        parent.Children.Add(CleanNode.NewText(text));
    }

    /// <summary>Folds runs of ASCII whitespace to one space; non-breaking spaces are typography and stay.</summary>
    public static string CollapseSpaces(string text)
    {
        if (!NeedsCollapse(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var inSpace = false;
        foreach (var c in text)
        {
            if (IsAsciiSpace(c))
            {
                if (!inSpace)
                {
                    builder.Append(' ');
                }

                inSpace = true;
                continue;
            }

            inSpace = false;
            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>True when the text holds a tab, a line break, a form feed or a space next to another space.</summary>
    private static bool NeedsCollapse(string text)
    {
        var span = text.AsSpan();
        if (span.IndexOfAny(FoldedSpaces) >= 0)
        {
            return true;
        }

        // Only spaces are left: a run of two is the one thing left to fold.
        return span.IndexOf("  ", StringComparison.Ordinal) >= 0;
    }

    private static readonly SearchValues<char> FoldedSpaces = SearchValues.Create("\t\n\r\f");

    public static bool IsAsciiSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    private static void Visit(Stack<Frame> stack, Frame frame, Uri? baseUri)
    {
        var node = frame.Node;
        var name = node.Name;
        var colon = name.LastIndexOf(':');
        var local = colon >= 0 ? name[(colon + 1)..] : name;
        var kind = HtmlVocabulary.KindOf(local);
        if ((kind & TagKind.DroppedWithContent) != 0 || IsHidden(node))
        {
            if ((kind & TagKind.LeftOpenOften) != 0)
            {
                Rescue(stack, frame);
            }

            return;
        }

        (local, kind) = local switch
        {
            "h1" => ("h2", HtmlVocabulary.KindOf("h2")),
            "tfoot" => ("tbody", HtmlVocabulary.KindOf("tbody")),
            _ => (local, kind),
        };

        var parentTag = frame.Parent.Tag;
        if (colon < 0 && (kind & TagKind.Allowed) != 0 && FitsParent(local, parentTag, frame.InLink))
        {
            var element = new CleanNode(local) { Attributes = AttributeFilter.Filter(node, local, baseUri) };
            if (local == "img")
            {
                if (element.GetAttribute("src") is null)
                {
                    return;
                }

                element.HasContent = true;
            }
            else if (local == "a" && element.GetAttribute("href") is null)
            {
                PushChildren(stack, node, frame);
                return;
            }

            frame.Parent.Children.Add(element);
            var phrasing = frame.InPhrasing || (kind & (TagKind.PhrasingBlock | TagKind.Inline)) != 0;
            PushChildren(stack, node, new Frame(node, element, frame.InPre || local == "pre", phrasing, frame.InLink || local == "a"));
            return;
        }

        var blockish = (kind & (TagKind.BlockContainer | TagKind.Allowed)) != 0;
        if (blockish && !frame.InPhrasing)
        {
            var block = new CleanNode(CleanNode.BlockTag);
            frame.Parent.Children.Add(block);
            PushChildren(stack, node, frame with { Parent = block });
            return;
        }

        PushChildren(stack, node, frame);
    }

    /// <summary>
    /// An unclosed svg or video swallows the rest of the page in the parser's tree, while a browser would
    /// have broken out of it at the next paragraph: the HTML blocks found inside are read as siblings.
    /// </summary>
    private static void Rescue(Stack<Frame> stack, Frame frame)
    {
        var rescued = new List<HtmlNode>();
        var pending = new Stack<HtmlNode>();
        for (var i = frame.Node.ChildNodes.Count - 1; i >= 0; i--)
        {
            pending.Push(frame.Node.ChildNodes[i]);
        }

        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.NodeType != HtmlNodeType.Element)
            {
                continue;
            }

            if (HtmlVocabulary.BreakOut.Contains(node.Name))
            {
                rescued.Add(node);
                continue;
            }

            for (var i = node.ChildNodes.Count - 1; i >= 0; i--)
            {
                pending.Push(node.ChildNodes[i]);
            }
        }

        for (var i = rescued.Count - 1; i >= 0; i--)
        {
            stack.Push(frame with { Node = rescued[i] });
        }
    }

    /// <summary>List items, table parts and definitions only mean something inside their own container.</summary>
    private static bool FitsParent(string tag, string parentTag, bool inLink) => tag switch
    {
        "li" => parentTag is "ul" or "ol",
        "dt" or "dd" => parentTag == "dl",
        "thead" or "tbody" => parentTag == "table",
        "tr" => parentTag is "table" or "thead" or "tbody",
        "td" or "th" => parentTag is "tr" or "table" or "thead" or "tbody",
        "a" => !inLink,
        _ => true,
    };

    private static void PushChildren(Stack<Frame> stack, HtmlNode node, Frame frame)
    {
        var children = node.ChildNodes;
        for (var i = children.Count - 1; i >= 0; i--)
        {
            stack.Push(frame with { Node = children[i] });
        }
    }

    private static bool IsHidden(HtmlNode node)
    {
        if (!node.HasAttributes)
        {
            return false;
        }

        // By index and by name: the collection's string indexer lower-cases its argument on every call.
        var attributes = node.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            var attribute = attributes[i];
            switch (attribute.Name)
            {
                case "hidden":
                    return true;
                case "style" when attribute.Value is { } style && IsHiddenStyle(style):
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    private static bool IsHiddenStyle(string style)
    {
        var compact = style.Replace(" ", "", StringComparison.Ordinal);
        return compact.Contains("display:none", StringComparison.OrdinalIgnoreCase)
            || compact.Contains("visibility:hidden", StringComparison.OrdinalIgnoreCase);
    }
}
