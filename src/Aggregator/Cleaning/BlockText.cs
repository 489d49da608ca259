using System.Buffers;
using System.Text;

namespace Aggregator.Cleaning;

/// <summary>Renders the cleaner's tree as plain text: paragraphs apart by a blank line, lines by a newline.</summary>
internal static class BlockText
{
    /// <summary>
    /// A block's length on one line and how many of its characters sit inside links; its text too, when
    /// <paramref name="wantText"/> asks for it given those two. Boilerplate is short or made of links: a dispatch's
    /// long paragraphs are counted without being copied.
    /// </summary>
    public static (string? Text, int Length, int LinkChars) Measure(CleanNode block, Func<int, int, bool> wantText)
    {
        var counter = new FoldedCount();
        Walk(block, ref counter);
        var length = counter.Length;
        var linkChars = Math.Min(counter.LinkChars, length);
        return (wantText(length, linkChars) ? Line(block) : null, length, linkChars);
    }

    /// <summary>A block's text on one line, as <see cref="Measure"/> counts it: runs of ASCII spaces folded, a space between blocks, trimmed.</summary>
    public static string Line(CleanNode block)
    {
        // Called once per short top-level block: the buffer is the thread's, not the call's.
        var writer = new FoldedWriter(_measureBuilder ??= new StringBuilder());
        writer.Builder.Clear();
        Walk(block, ref writer);
        var builder = writer.Builder;
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

        var text = builder.ToString(start, end - start);
        if (builder.Capacity > 64 * 1024)
        {
            // A huge block once should not pin its buffer to the thread for good.
            _measureBuilder = null;
        }

        return text;
    }

    /// <summary>What a walk of a block hands its text to: the same calls, written out or counted.</summary>
    private interface IFoldedSink
    {
        /// <summary>Characters taken so far, before trimming.</summary>
        int Written { get; }

        void Add(string text, bool inLink);
    }

    /// <summary>Hands a block's text runs to the sink in order, with a space before a break or a nested block.</summary>
    private static void Walk<TSink>(CleanNode block, ref TSink sink)
        where TSink : struct, IFoldedSink
    {
        var stack = _walkStack ??= new Stack<(CleanNode Node, bool InLink)>();
        stack.Clear();
        stack.Push((block, block.Tag == "a"));
        while (stack.Count > 0)
        {
            var (node, inLink) = stack.Pop();
            if (node.IsText)
            {
                sink.Add(node.Text, inLink);
                continue;
            }

            if (node.Tag is "br" || (TreeNormalizer.IsBlock(node) && sink.Written > 0))
            {
                sink.Add(" ", inLink: false);
            }

            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push((node.Children[i], inLink || node.Children[i].Tag == "a"));
            }
        }
    }

    /// <summary>Writes the runs out, folded (<see cref="AppendFolded"/>).</summary>
    private readonly struct FoldedWriter(StringBuilder builder) : IFoldedSink
    {
        public StringBuilder Builder => builder;

        public int Written => builder.Length;

        public void Add(string text, bool inLink) => AppendFolded(builder, text);
    }

    /// <summary>
    /// The length of the text <see cref="AppendFolded"/> would build, once trimmed of white space at both ends, and
    /// how many of the characters it would append came from links.
    /// </summary>
    private struct FoldedCount : IFoldedSink
    {
        private bool endsWithSpace;
        private bool sawText;
        private int leading;
        private int trailing;

        /// <summary>Characters appended so far, before trimming.</summary>
        public int Written { get; private set; }

        public int LinkChars { get; private set; }

        public readonly int Length => sawText ? Written - leading - trailing : 0;

        public void Add(string text, bool inLink)
        {
            var before = Written;
            var span = text.AsSpan();
            if (span.Length > 0 && !HasFoldableSpaces(span) && (span[0] != ' ' || (Written > 0 && !endsWithSpace)))
            {
                // Words apart by single spaces, most text: it is written as it is, and only its ends need a look.
                Run(span);
            }
            else
            {
                while (span.Length > 0)
                {
                    var space = span.IndexOfAny(AsciiSpaces);
                    Run(space < 0 ? span : span[..space]);
                    if (space < 0)
                    {
                        break;
                    }

                    if (Written > 0 && !endsWithSpace)
                    {
                        Run(" ");
                    }

                    span = span[(space + 1)..];
                }
            }

            if (inLink)
            {
                LinkChars += Written - before;
            }
        }

        private void Run(ReadOnlySpan<char> run)
        {
            if (run.Length == 0)
            {
                return;
            }

            Written += run.Length;
            endsWithSpace = run[^1] == ' ';
            var white = 0;
            while (white < run.Length && char.IsWhiteSpace(run[white]))
            {
                white++;
            }

            if (!sawText)
            {
                leading += white;
            }

            if (white == run.Length)
            {
                trailing += white;
                return;
            }

            sawText = true;
            trailing = 0;
            while (char.IsWhiteSpace(run[^(trailing + 1)]))
            {
                trailing++;
            }
        }
    }

    [ThreadStatic]
    private static Stack<(CleanNode Node, bool InLink)>? _walkStack;

    [ThreadStatic]
    private static StringBuilder? _measureBuilder;


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
        if (span.Length > 0 && !HasFoldableSpaces(span) && (span[0] != ' ' || (builder.Length > 0 && builder[^1] != ' ')))
        {
            // Words apart by single spaces: the text as it is.
            builder.Append(span);
            return;
        }

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

    /// <summary>True when folding would change the text: a tab, a line break, a form feed, or two spaces in a row.</summary>
    private static bool HasFoldableSpaces(ReadOnlySpan<char> text) =>
        text.IndexOfAny(LineSpaces) >= 0 || text.IndexOf("  ", StringComparison.Ordinal) >= 0;

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
