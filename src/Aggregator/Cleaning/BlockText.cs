using System.Buffers;
using System.Text;

namespace Aggregator.Cleaning;

/// <summary>Renders the cleaner's tree as plain text: paragraphs apart by a blank line, lines by a newline.</summary>
internal static class BlockText
{
    /// <summary>A block's text on one line, and how many of its characters sit inside links.</summary>
    public static (string Text, int LinkChars) Measure(CleanNode block)
    {
        var (text, _, linkChars) = Measure(block, static (_, _) => true);
        return (text!, linkChars);
    }

    /// <summary>
    /// A block's length on one line and how many of its characters sit inside links; its text too, when
    /// <paramref name="wantText"/> asks for it given those two. Boilerplate is short or made of links, and the
    /// text of a dispatch's long paragraphs was a tenth of what cleaning allocated.
    /// </summary>
    public static (string? Text, int Length, int LinkChars) Measure(CleanNode block, Func<int, int, bool> wantText)
    {
        // Called once per top-level block: the buffers are the thread's, not the call's.
        var builder = _measureBuilder ??= new StringBuilder();
        var stack = _measureStack ??= new Stack<(CleanNode Node, bool InLink)>();
        builder.Clear();
        stack.Clear();
        var linkChars = 0;
        stack.Push((block, block.Tag == "a"));
        while (stack.Count > 0)
        {
            var (node, inLink) = stack.Pop();
            if (node.IsText)
            {
                var before = builder.Length;
                AppendFolded(builder, node.Text);
                if (inLink)
                {
                    linkChars += builder.Length - before;
                }

                continue;
            }

            if (node.Tag is "br" || (TreeNormalizer.IsBlock(node) && builder.Length > 0))
            {
                AppendFolded(builder, " ");
            }

            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push((node.Children[i], inLink || node.Children[i].Tag == "a"));
            }
        }

        var start = 0;
        var end = builder.Length;
        while (start < end && char.IsWhiteSpace(builder[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(builder[end - 1]))
        {
            end--;
        }

        var length = end - start;
        linkChars = Math.Min(linkChars, length);
        var text = wantText(length, linkChars) ? builder.ToString(start, length) : null;
        if (builder.Capacity > 64 * 1024)
        {
            // A huge block once should not pin its buffer to the thread for good.
            _measureBuilder = null;
        }

        return (text, length, linkChars);
    }

    [ThreadStatic]
    private static StringBuilder? _measureBuilder;

    [ThreadStatic]
    private static Stack<(CleanNode Node, bool InLink)>? _measureStack;

    /// <summary>
    /// The whole body as text; blocks separated by "\n\n", list items and rows by "\n". Figures are left
    /// out: a photo credit is not news, and would otherwise open every summary.
    /// </summary>
    public static string Render(CleanNode root)
    {
        var writer = new Writer();
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
                writer.Text(node.Text);
                continue;
            }

            if (node.Tag == "figure")
            {
                continue;
            }

            var gap = Gap(node.Tag);
            if (closing)
            {
                writer.Break(gap);
                continue;
            }

            switch (node.Tag)
            {
                case "br":
                    writer.Break(1);
                    continue;
                case "td" or "th":
                    writer.Space();
                    break;
                default:
                    writer.Break(gap);
                    break;
            }

            if (node.Tag == "pre")
            {
                writer.Pre = true;
            }

            stack.Push((node, true));
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push((node.Children[i], false));
            }
        }

        return writer.ToString();
    }

    private static int Gap(string tag) => tag switch
    {
        "li" or "dt" or "dd" or "tr" or "figcaption" => 1,
        "p" or "h2" or "h3" or "h4" or "h5" or "h6" or "pre" or "blockquote" or "ul" or "ol" or "dl" or "table" or "figure" or "hr" => 2,
        _ => 0,
    };

    private static void AppendFolded(StringBuilder builder, string text)
    {
        var span = text.AsSpan();
        while (span.Length > 0)
        {
            var space = span.IndexOfAny(AsciiSpaces);
            if (space < 0)
            {
                builder.Append(span);
                return;
            }

            builder.Append(span[..space]);
            if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }

            span = span[(space + 1)..];
        }
    }

    private static readonly SearchValues<char> AsciiSpaces = SearchValues.Create(" \t\n\r\f");
    private static readonly SearchValues<char> LineSpaces = SearchValues.Create("\t\n\r\f");

    private sealed class Writer
    {
        // Each thread's last builder, reused: grown chunk by chunk, a body's text cost twice its size in garbage.
        // One larger than a few bodies is let go, so a long page does not stay held.
        private const int KeptCapacity = 32 * 1024;

        [ThreadStatic]
        private static StringBuilder? t_kept;

        private readonly StringBuilder _builder;
        private int _pendingBreak;
        private bool _pendingSpace;

        public Writer()
        {
            _builder = t_kept ?? new StringBuilder(4096);
            t_kept = null;
            _builder.Clear();
        }

        public bool Pre { get; set; }

        public void Break(int lines)
        {
            Pre = Pre && lines == 0;
            _pendingBreak = Math.Max(_pendingBreak, lines);
        }

        public void Space() => _pendingSpace = true;

        public void Text(string text)
        {
            var span = text.AsSpan();
            while (span.Length > 0)
            {
                if (!Pre && TreeBuilder.IsAsciiSpace(span[0]))
                {
                    _pendingSpace = true;
                    span = span[1..];
                    continue;
                }

                // Runs of spaces are already folded outside pre, so the rest goes in at once: only its first
                // character sees what is pending, and a space it ends with is trimmed at the next break.
                var run = Pre || !HasFoldableSpaces(span) ? span.Length : span.IndexOfAny(AsciiSpaces);
                if (run <= 0)
                {
                    run = span.Length;
                }

                if (_builder.Length > 0)
                {
                    if (_pendingBreak > 0)
                    {
                        TrimEndSpaces();
                        _builder.Append('\n', _pendingBreak);
                    }
                    else if (_pendingSpace && _builder[^1] != '\n' && _builder[^1] != ' ')
                    {
                        _builder.Append(' ');
                    }
                }

                _pendingBreak = 0;
                _pendingSpace = false;
                _builder.Append(span[..run]);
                span = span[run..];
            }
        }

        private static bool HasFoldableSpaces(ReadOnlySpan<char> text) =>
            text.IndexOfAny(LineSpaces) >= 0 || text.IndexOf("  ", StringComparison.Ordinal) >= 0;

        /// <summary>The text written; the writer is done with, and its builder goes back to the thread.</summary>
        public override string ToString()
        {
            TrimEndSpaces();
            var text = _builder.ToString();
            if (_builder.Capacity <= KeptCapacity)
            {
                t_kept = _builder;
            }

            return text;
        }

        private void TrimEndSpaces()
        {
            while (_builder.Length > 0 && _builder[^1] is ' ' or '\t')
            {
                _builder.Length--;
            }
        }
    }
}
