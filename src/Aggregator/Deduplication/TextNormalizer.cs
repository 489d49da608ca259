using System.Globalization;
using System.Text;

namespace Aggregator.Deduplication;

/// <summary>One word of a normalised text, with what the original spelling said about it.</summary>
/// <param name="Word">Lower case, accents folded, digits without grouping (« 3 245,6 » → « 3245.6 »).</param>
/// <param name="IsNumber">The word is a figure, a date or a year.</param>
/// <param name="IsCapitalized">The original word began with a capital letter.</param>
/// <param name="StartsSentence">The word opens a sentence or a quotation, where a capital says nothing.</param>
internal readonly record struct NormalizedWord(string Word, bool IsNumber, bool IsCapitalized, bool StartsSentence);

/// <summary>Brings two outlets' copies of a dispatch to the same words: case, accents, typography, datelines and wire tags folded away.</summary>
internal static class TextNormalizer
{
    // Abbreviations whose full stop does not end a sentence (« M. Tebboune »), so the name after them still counts.
    private static readonly HashSet<string> Abbreviations = ["m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "gal"];

    /// <summary>The normalised words joined by single spaces.</summary>
    public static string Normalize(string text) => string.Join(' ', Words(text));

    /// <summary>The normalised words, in order.</summary>
    public static IReadOnlyList<string> Words(string text) => [.. Tokenize(text).Select(w => w.Word)];

    /// <summary>The normalised words with their spelling flags, which the fingerprint uses to find names and figures.</summary>
    public static List<NormalizedWord> Tokenize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var body = WireMarks.Strip(text);
        var words = new List<NormalizedWord>(body.Length / 6);
        var builder = new StringBuilder(32);
        var sentenceStart = true;
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (char.IsAsciiDigit(c))
            {
                i = ReadNumber(body, i, builder);
                words.Add(new NormalizedWord(builder.ToString(), true, false, sentenceStart));
                sentenceStart = false;
            }
            else if (char.IsLetterOrDigit(c))
            {
                var capitalized = char.IsUpper(c);
                i = ReadWord(body, i, builder, out var word);
                words.Add(new NormalizedWord(word, false, capitalized, sentenceStart));
                sentenceStart = false;
            }
            else
            {
                if (EndsSentence(c) && !(c == '.' && words.Count > 0 && Abbreviations.Contains(words[^1].Word)))
                {
                    sentenceStart = true;
                }

                i++;
            }
        }

        return words;
    }

    private static bool EndsSentence(char c) => c is '.' or '!' or '?' or ':' or '«' or '"' or '“' or '\n' or '…';

    private static int ReadWord(string text, int i, StringBuilder builder, out string word)
    {
        var start = i;
        var plain = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                i++;
            }
            else if (char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                plain = false;
                i++;
            }
            else
            {
                break;
            }
        }

        // Most words are plain lower-case ASCII already: no folding, no copy through the builder.
        if (plain)
        {
            word = text[start..i];
            return i;
        }

        builder.Clear();
        for (var k = start; k < i; k++)
        {
            CharFolding.Append(builder, text[k]);
        }

        word = builder.ToString();
        return i;
    }

    // « 1 000 », « 1.000 » and « 1 000 » are one thousand; « 12,5 » is twelve and a half. A first group of
    // more than three digits is never a thousands group (« en 2015 200 morts »).
    private static int ReadNumber(string text, int i, StringBuilder builder)
    {
        builder.Clear();
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            builder.Append(text[i++]);
        }

        if (i - start <= 3)
        {
            while (IsThousandsGroup(text, i))
            {
                builder.Append(text, i + 1, 3);
                i += 4;
            }
        }

        if (i + 1 < text.Length && text[i] is ',' or '.' && char.IsAsciiDigit(text[i + 1]))
        {
            builder.Append('.');
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                builder.Append(text[i++]);
            }
        }

        return i;
    }

    private static bool IsThousandsGroup(string text, int i) =>
        i + 3 < text.Length
        && text[i] is ' ' or '\u00A0' or '\u202F' or '\u2009' or '.'
        && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3])
        && (i + 4 == text.Length || !char.IsAsciiDigit(text[i + 4]));
}
