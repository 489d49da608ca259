using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Aggregator.Parsing;

/// <summary>
/// Where a feed document's items are in its text, found without parsing it: RSS 2.0 items in the channel, RSS 1.0
/// items under the root, Atom entries. A refresh leaves out the items whose text it has read before, so that the
/// parser reads only what is new (most of a busy feed, most of the time, is the items of the last fetch).
/// </summary>
/// <param name="Context">
/// The text the items' reading depends on besides their own: the root's and the channel's start tags (namespace
/// declarations, xml:base). An item's text means the same again only under the same context.
/// </param>
/// <param name="Items">Each item element's start and length in the text, in document order.</param>
internal sealed record RawItems(string Context, IReadOnlyList<(int Start, int Length)> Items)
{
    /// <summary>
    /// The items of <paramref name="text"/>, or null when its shape is not the plain one this reader follows (a
    /// document type, unbalanced tags, an unknown root): such a document is parsed whole.
    /// </summary>
    public static RawItems? Find(string text) => Find<char>(text);

    /// <summary>The items of a UTF-8 document (without a byte order mark); their places are byte offsets.</summary>
    public static RawItems? Find(ReadOnlySpan<byte> utf8) => Find<byte>(utf8);

    private static RawItems? Find<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        var items = new List<(int Start, int Length)>();
        string? root = null, rootTag = null, channelTag = null, outer = null;
        int depth = 0, itemStart = -1, itemDepth = -1;
        var i = 0;
        while (i < text.Length && text[i..].IndexOf(Markup<T>.Open) is var next and >= 0)
        {
            i += next;
            if (Skip(text, i, Markup<T>.CommentOpen, Markup<T>.CommentClose, out var end)
                || Skip(text, i, Markup<T>.CdataOpen, Markup<T>.CdataClose, out end)
                || Skip(text, i, Markup<T>.InstructionOpen, Markup<T>.InstructionClose, out end))
            {
                if (end < 0)
                {
                    return null;
                }

                i = end;
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] == Markup<T>.Bang)
            {
                // A document type (refused by the parser anyway) or a stray markup declaration.
                return null;
            }

            var close = TagEnd(text, i);
            if (close < 0)
            {
                return null;
            }

            if (text[i + 1] == Markup<T>.Slash)
            {
                depth--;
                if (depth < 0)
                {
                    return null;
                }

                if (itemStart >= 0 && depth == itemDepth)
                {
                    items.Add((itemStart, close + 1 - itemStart));
                    itemStart = -1;
                }

                i = close + 1;
                continue;
            }

            var selfClosing = text[close - 1] == Markup<T>.Slash;
            if (depth > itemDepth && root is not null)
            {
                // Inside an item: only its end matters.
                depth += selfClosing ? 0 : 1;
                i = close + 1;
                continue;
            }

            var name = LocalName(text, i + 1, close);
            if (depth == 0)
            {
                if (root is not null)
                {
                    return null;
                }

                root = name;
                rootTag = Markup<T>.ToText(text[i..(close + 1)]);
                itemDepth = root switch
                {
                    "rss" => 2,
                    "RDF" or "feed" => 1,
                    _ => -1,
                };
                if (itemDepth < 0)
                {
                    return null;
                }
            }
            else if (depth == 1)
            {
                outer = name;
                if (root == "rss" && name == "channel")
                {
                    if (channelTag is not null)
                    {
                        return null;
                    }

                    channelTag = Markup<T>.ToText(text[i..(close + 1)]);
                }
            }

            if (depth == itemDepth && itemStart < 0 && name == (root == "feed" ? "entry" : "item") && (root != "rss" || outer == "channel"))
            {
                if (selfClosing)
                {
                    items.Add((i, close + 1 - i));
                }
                else
                {
                    itemStart = i;
                }
            }

            if (!selfClosing)
            {
                depth++;
            }

            i = close + 1;
        }

        return depth == 0 && root is not null && itemStart < 0 ? new RawItems(rootTag + channelTag, items) : null;
    }

    /// <summary>The text with the items at <paramref name="left"/> (indexes into <see cref="Items"/>, ascending) cut out.</summary>
    public string Without(string text, IReadOnlyList<int> left)
    {
        var kept = new StringBuilder(text.Length - left.Sum(i => Items[i].Length));
        var from = 0;
        foreach (var index in left)
        {
            var (start, length) = Items[index];
            kept.Append(text, from, start - from);
            from = start + length;
        }

        return kept.Append(text, from, text.Length - from).ToString();
    }

    /// <summary>The UTF-8 document with the items at <paramref name="left"/> cut out, decoded: only what is kept is decoded.</summary>
    public string Without(ReadOnlySpan<byte> utf8, IReadOnlyList<int> left)
    {
        // UTF-8 never takes more chars than bytes; the cuts fall on '<' and '>', so each piece decodes as it would in the whole.
        var chars = ArrayPool<char>.Shared.Rent(utf8.Length - left.Sum(i => Items[i].Length));
        try
        {
            int from = 0, written = 0;
            foreach (var index in left)
            {
                var (start, length) = Items[index];
                written += Encoding.UTF8.GetChars(utf8[from..start], chars.AsSpan(written));
                from = start + length;
            }

            written += Encoding.UTF8.GetChars(utf8[from..], chars.AsSpan(written));
            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static bool Skip<T>(ReadOnlySpan<T> text, int at, ReadOnlySpan<T> open, ReadOnlySpan<T> closeWith, out int end)
        where T : unmanaged, IBinaryInteger<T>
    {
        end = 0;
        if (!text[at..].StartsWith(open))
        {
            return false;
        }

        var found = text[(at + open.Length)..].IndexOf(closeWith);
        end = found < 0 ? -1 : at + open.Length + found + closeWith.Length;
        return true;
    }

    /// <summary>The '&gt;' that ends the tag starting at <paramref name="at"/>, past quoted attribute values; -1 if none.</summary>
    private static int TagEnd<T>(ReadOnlySpan<T> text, int at)
        where T : unmanaged, IBinaryInteger<T>
    {
        var quote = T.Zero;
        for (var j = at + 1; j < text.Length; j++)
        {
            var c = text[j];
            if (quote != T.Zero)
            {
                if (c == quote)
                {
                    quote = T.Zero;
                }
            }
            else if (c == Markup<T>.Quote || c == Markup<T>.Apostrophe)
            {
                quote = c;
            }
            else if (c == Markup<T>.Close)
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>The element name after any prefix: the reader matches names as the parser's feed types do, by local name.</summary>
    private static string LocalName<T>(ReadOnlySpan<T> text, int from, int close)
        where T : unmanaged, IBinaryInteger<T>
    {
        var end = from;
        while (end < close && !Markup<T>.IsSpace(text[end]) && text[end] != Markup<T>.Slash && text[end] != Markup<T>.Close)
        {
            end++;
        }

        var name = text[from..end];
        var colon = name.IndexOf(Markup<T>.Colon);
        return Markup<T>.ToText(colon < 0 ? name : name[(colon + 1)..]);
    }

    /// <summary>The markup the reader looks for, as UTF-16 chars or UTF-8 bytes: all of it ASCII, the same value in both.</summary>
    private static class Markup<T>
        where T : unmanaged, IBinaryInteger<T>
    {
        public static readonly T Open = T.CreateTruncating('<');
        public static readonly T Close = T.CreateTruncating('>');
        public static readonly T Slash = T.CreateTruncating('/');
        public static readonly T Bang = T.CreateTruncating('!');
        public static readonly T Colon = T.CreateTruncating(':');
        public static readonly T Quote = T.CreateTruncating('"');
        public static readonly T Apostrophe = T.CreateTruncating('\'');
        public static readonly T[] CommentOpen = Of("<!--");
        public static readonly T[] CommentClose = Of("-->");
        public static readonly T[] CdataOpen = Of("<![CDATA[");
        public static readonly T[] CdataClose = Of("]]>");
        public static readonly T[] InstructionOpen = Of("<?");
        public static readonly T[] InstructionClose = Of("?>");

        // XML's white space: what may follow a name in a tag.
        public static bool IsSpace(T c) => c == T.CreateTruncating(' ') || c == T.CreateTruncating('\t') || c == T.CreateTruncating('\n') || c == T.CreateTruncating('\r');

        public static string ToText(ReadOnlySpan<T> span) => typeof(T) == typeof(byte)
            ? Encoding.UTF8.GetString(MemoryMarshal.AsBytes(span))
            : new string(MemoryMarshal.Cast<T, char>(span));

        private static T[] Of(string ascii) => [.. ascii.Select(c => T.CreateTruncating(c))];
    }
}
