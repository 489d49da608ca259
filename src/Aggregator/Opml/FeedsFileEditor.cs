using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aggregator.Opml;

/// <summary>A feed to append to feeds.json.</summary>
internal sealed record NewFeedEntry(string Id, string Name, Uri Url, string? Category);

/// <summary>
/// Appends entries to the feeds array of feeds.json as text, so the admins' comments, order, spacing and
/// other settings stay exactly as they wrote them; each new entry takes one line, indented like the last one.
/// </summary>
internal static class FeedsFileEditor
{
    public const string NewFile = "{\n  \"feeds\": [\n  ]\n}\n";

    private static readonly JsonSerializerOptions StringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file with the entries added, or null when it has no top-level feeds array to add to.</summary>
    public static string? Append(string json, IReadOnlyList<NewFeedEntry> entries)
    {
        var bom = json.StartsWith('\uFEFF') ? "\uFEFF" : "";
        var utf8 = Encoding.UTF8.GetBytes(json[bom.Length..]);
        if (FindFeedsArray(utf8) is not { } array)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(utf8);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = entries.Select(Line).ToList();
        string result;
        if (array.LastEnd < 0)
        {
            // An empty array: entries go one level deeper than the line that opens it; the closing bracket keeps its line's indent.
            var start = CharIndex(utf8, array.Open) + 1;
            var end = CharIndex(utf8, array.Close);
            var outer = IndentOf(text, start - 1);
            var between = text[start..end];
            var inner = outer + "  ";
            var body = string.Join("," + newline, lines.Select(l => inner + l));
            result = string.IsNullOrWhiteSpace(between)
                ? text[..start] + newline + body + newline + outer + text[end..]
                : text[..start] + newline + body + between + text[end..];
        }
        else
        {
            var lastStart = CharIndex(utf8, array.LastStart);
            var at = CharIndex(utf8, array.LastEnd);
            var indent = IndentOf(text, lastStart);
            var separator = "," + newline + indent;
            var afterLast = text[at..].TrimStart();
            if (afterLast.StartsWith(','))
            {
                // A trailing comma after the last entry: keep it, and give each new entry one.
                at = text.IndexOf(',', at) + 1;
                result = text[..at] + string.Concat(lines.Select(l => newline + indent + l + ",")) + text[at..];
            }
            else
            {
                result = text[..at] + string.Concat(lines.Select(l => separator + l)) + text[at..];
            }
        }

        return bom + result;
    }

    private static string Line(NewFeedEntry entry)
    {
        var line = new StringBuilder("{ ");
        line.Append("\"id\": ").Append(Quote(entry.Id));
        line.Append(", \"name\": ").Append(Quote(entry.Name));
        line.Append(", \"url\": ").Append(Quote(entry.Url.AbsoluteUri));
        if (entry.Category is not null)
        {
            line.Append(", \"category\": ").Append(Quote(entry.Category));
        }

        return line.Append(" }").ToString();
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, StringOptions);

    /// <summary>The whitespace that opens the line holding the character at <paramref name="index"/>.</summary>
    private static string IndentOf(string text, int index)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        var end = lineStart;
        while (end < text.Length && text[end] is ' ' or '\t')
        {
            end++;
        }

        return text[lineStart..end];
    }

    private static int CharIndex(byte[] utf8, long byteIndex) => Encoding.UTF8.GetCharCount(utf8, 0, (int)byteIndex);

    /// <summary>Byte offsets of the feeds array: its brackets, and where its last element starts and ends (-1 when empty).</summary>
    private static (long Open, long Close, long LastStart, long LastEnd)? FindFeedsArray(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1 || !reader.ValueTextEquals("feeds"))
                {
                    continue;
                }

                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return null;
                }

                var open = reader.TokenStartIndex;
                long lastStart = -1, lastEnd = -1;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    lastStart = reader.TokenStartIndex;
                    reader.Skip();
                    lastEnd = reader.BytesConsumed;
                }

                return (open, reader.TokenStartIndex, lastStart, lastEnd);
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }
}
