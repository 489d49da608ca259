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
    public static RawItems? Find(string text)
    {
        var items = new List<(int Start, int Length)>();
        string? root = null, rootTag = null, channelTag = null, outer = null;
        int depth = 0, itemStart = -1, itemDepth = -1;
        var i = 0;
        while ((i = text.IndexOf('<', i)) >= 0)
        {
            if (Skip(text, i, "<!--", "-->", out var end) || Skip(text, i, "<![CDATA[", "]]>", out end) || Skip(text, i, "<?", "?>", out end))
            {
                if (end < 0)
                {
                    return null;
                }

                i = end;
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] == '!')
            {
                // A document type (refused by the parser anyway) or a stray markup declaration.
                return null;
            }

            var close = TagEnd(text, i);
            if (close < 0)
            {
                return null;
            }

            if (text[i + 1] == '/')
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

            var selfClosing = text[close - 1] == '/';
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
                rootTag = text[i..(close + 1)];
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

                    channelTag = text[i..(close + 1)];
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
        var kept = new System.Text.StringBuilder(text.Length - left.Sum(i => Items[i].Length));
        var from = 0;
        foreach (var index in left)
        {
            var (start, length) = Items[index];
            kept.Append(text, from, start - from);
            from = start + length;
        }

        return kept.Append(text, from, text.Length - from).ToString();
    }

    private static bool Skip(string text, int at, string open, string closeWith, out int end)
    {
        end = 0;
        if (string.CompareOrdinal(text, at, open, 0, open.Length) != 0)
        {
            return false;
        }

        var found = text.IndexOf(closeWith, at + open.Length, StringComparison.Ordinal);
        end = found < 0 ? -1 : found + closeWith.Length;
        return true;
    }

    /// <summary>The '&gt;' that ends the tag starting at <paramref name="at"/>, past quoted attribute values; -1 if none.</summary>
    private static int TagEnd(string text, int at)
    {
        var quote = '\0';
        for (var j = at + 1; j < text.Length; j++)
        {
            var c = text[j];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>The element name after any prefix: the reader matches names as the parser's feed types do, by local name.</summary>
    private static string LocalName(string text, int from, int close)
    {
        var end = from;
        while (end < close && !char.IsWhiteSpace(text[end]) && text[end] != '/' && text[end] != '>')
        {
            end++;
        }

        var name = text.AsSpan(from, end - from);
        var colon = name.IndexOf(':');
        return (colon < 0 ? name : name[(colon + 1)..]).ToString();
    }
}
