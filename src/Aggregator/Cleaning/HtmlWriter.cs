using System.Text;

namespace Aggregator.Cleaning;

/// <summary>Serialises the cleaner's tree; every text and attribute value is escaped here, once.</summary>
internal static class HtmlWriter
{
    public static string Write(CleanNode root)
    {
        var builder = new StringBuilder();
        var stack = new Stack<(CleanNode Node, bool Closing)>();
        for (var i = root.Children.Count - 1; i >= 0; i--)
        {
            stack.Push((root.Children[i], false));
        }

        while (stack.Count > 0)
        {
            var (node, closing) = stack.Pop();
            if (node.IsText)
            {
                Escape(builder, node.Text, attribute: false);
                continue;
            }

            if (closing)
            {
                builder.Append("</").Append(node.Tag).Append('>');
                continue;
            }

            builder.Append('<').Append(node.Tag);
            foreach (var (name, value) in node.Attributes ?? [])
            {
                builder.Append(' ').Append(name).Append("=\"");
                Escape(builder, value, attribute: true);
                builder.Append('"');
            }

            builder.Append('>');
            if (node.Tag is "br" or "img" or "hr")
            {
                continue;
            }

            stack.Push((node, true));
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push((node.Children[i], false));
            }
        }

        return builder.ToString();
    }

    private static void Escape(StringBuilder builder, string text, bool attribute)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '"' when attribute:
                    builder.Append("&quot;");
                    break;
                case '\u00a0':
                    builder.Append("&nbsp;");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}
