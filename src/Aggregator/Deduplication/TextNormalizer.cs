using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Aggregator.Deduplication;

/// <summary>One word of a normalised text, with what the original spelling said about it.</summary>
/// <param name="Word">Lower case, accents folded, digits without grouping (« 3 245,6 » → « 3245.6 »).</param>
/// <param name="IsNumber">The word is a figure, a date or a year.</param>
/// <param name="IsCapitalized">The original word began with a capital letter.</param>
/// <param name="StartsSentence">The word opens a sentence or a quotation, where a capital says nothing.</param>
internal readonly record struct NormalizedWord(string Word, bool IsNumber, bool IsCapitalized, bool StartsSentence);

/// <summary>Receives the normalised words of a text, in order, from <see cref="TextNormalizer.Scan"/>.</summary>
internal interface IWordSink
{
    /// <param name="word">The normalised word; only valid during the call.</param>
    /// <param name="hash">The word's <see cref="StableHash.Of"/>, computed while reading it.</param>
    /// <param name="isNumber">The word is a figure, a date or a year.</param>
    /// <param name="isCapitalized">The original word began with a capital letter.</param>
    /// <param name="startsSentence">The word opens a sentence or a quotation.</param>
    void Add(ReadOnlySpan<char> word, ulong hash, bool isNumber, bool isCapitalized, bool startsSentence);
}

/// <summary>Brings two outlets' copies of a dispatch to the same words: case, accents, typography, datelines and wire tags folded away.</summary>
internal static class TextNormalizer
{
    // Words are folded into a stack buffer; only a longer word than this needs a pooled one.
    private const int StackWordLength = 128;

    /// <summary>The normalised words joined by single spaces.</summary>
    public static string Normalize(string text) => string.Join(' ', Words(text));

    /// <summary>The normalised words, in order.</summary>
    public static IReadOnlyList<string> Words(string text) => [.. Tokenize(text).Select(w => w.Word)];

    /// <summary>The normalised words with their spelling flags, which the fingerprint uses to find names and figures.</summary>
    public static List<NormalizedWord> Tokenize(string? text)
    {
        var sink = new ListSink([]);
        Scan(text, ref sink);
        return sink.Words;
    }

    /// <summary>Hands each normalised word to <paramref name="sink"/> without keeping it: the fingerprint hashes words as they come.</summary>
    public static void Scan<TSink>(string? text, ref TSink sink)
        where TSink : struct, IWordSink
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var body = WireMarks.Strip(text, out var rented);
        char[]? wordBuffer = null;
        var stack = default(WordBuffer);
        Span<char> buffer = stack;
        var sentenceStart = true;
        scoped var previous = ReadOnlySpan<char>.Empty;
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c == ' ')
            {
                // Most words end on a single space: skip it before any other test.
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                var number = buffer[..ReadNumber(body, ref i, ref buffer, ref wordBuffer)];
                sink.Add(number, StableHash.Of(number), true, false, sentenceStart);
                sentenceStart = false;
                previous = [];
            }
            else if (char.IsLetterOrDigit(c))
            {
                var capitalized = char.IsUpper(c);
                var word = ReadWord(body, ref i, ref buffer, ref wordBuffer, out var hash);
                sink.Add(word, hash, false, capitalized, sentenceStart);
                sentenceStart = false;
                previous = word;
            }
            else
            {
                if (EndsSentence(c) && !(c == '.' && IsAbbreviation(previous)))
                {
                    sentenceStart = true;
                }

                i++;
            }
        }

        if (wordBuffer is not null)
        {
            ArrayPool<char>.Shared.Return(wordBuffer);
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EndsSentence(char c) => c is '.' or '!' or '?' or ':' or '«' or '"' or '“' or '\n' or '…';

    // Abbreviations whose full stop does not end a sentence (« M. Tebboune »), so the name after them still counts.
    private static bool IsAbbreviation(ReadOnlySpan<char> word) => word switch
    {
        "m" or "mm" or "mme" or "mmes" or "mlle" or "dr" or "pr" or "me" or "st" or "ste" or "gal" => true,
        _ => false,
    };

    // Most words are plain lower-case ASCII already: no folding, no copy, and hashed in the same loop that finds
    // their end, which saves the branch mispredictions of a second loop over every word.
    private static ReadOnlySpan<char> ReadWord(ReadOnlySpan<char> text, ref int i, ref Span<char> buffer, ref char[]? wordBuffer, out ulong hash)
    {
        var start = i;
        var fnv = StableHash.Start;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                fnv = StableHash.Step(fnv, c);
                i++;
            }
            else if (IsFoldedWordPart(c))
            {
                return ReadFolded(text, start, ref i, ref buffer, ref wordBuffer, fnv, out hash);
            }
            else
            {
                break;
            }
        }

        hash = StableHash.Finish(fnv);
        return text[start..i];
    }

    // The plain start of the word, already hashed, is copied as it is; the rest is folded and hashed on.
    private static ReadOnlySpan<char> ReadFolded(ReadOnlySpan<char> text, int start, ref int i, ref Span<char> buffer, ref char[]? wordBuffer, ulong fnv, out ulong hash)
    {
        var length = 0;
        Append(text[start..i], ref buffer, ref wordBuffer, ref length);
        while (i < text.Length)
        {
            var c = text[i];
            if (length + CharFolding.MaxLength > buffer.Length)
            {
                Append([], ref buffer, ref wordBuffer, ref length, CharFolding.MaxLength);
            }

            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                buffer[length++] = c;
                fnv = StableHash.Step(fnv, c);
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                var lower = (char)(c | 0x20);
                buffer[length++] = lower;
                fnv = StableHash.Step(fnv, lower);
            }
            else if (!char.IsAscii(c) && IsWordPart(c))
            {
                var added = CharFolding.Fold(c, buffer[length..]);
                foreach (var part in buffer.Slice(length, added))
                {
                    fnv = StableHash.Step(fnv, part);
                }

                length += added;
            }
            else
            {
                break;
            }

            i++;
        }

        hash = StableHash.Finish(fnv);
        return buffer[..length];
    }

    private static bool IsFoldedWordPart(char c) => char.IsAscii(c) ? char.IsAsciiLetterUpper(c) : IsWordPart(c);

    // Combining marks (U+0300 onwards) stay in the word they follow; the fold then drops them.
    private static bool IsWordPart(char c) =>
        char.IsLetterOrDigit(c) || (c >= '\u0300' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark);

    // « 1 000 », « 1.000 » and « 1 000 » are one thousand; « 12,5 » is twelve and a half. A first group of
    // more than three digits is never a thousands group (« en 2015 200 morts »).
    private static int ReadNumber(ReadOnlySpan<char> text, ref int i, ref Span<char> buffer, ref char[]? wordBuffer)
    {
        var length = 0;
        var start = i;
        i = DigitsEnd(text, i);
        Append(text[start..i], ref buffer, ref wordBuffer, ref length);
        if (i - start <= 3)
        {
            while (IsThousandsGroup(text, i))
            {
                Append(text.Slice(i + 1, 3), ref buffer, ref wordBuffer, ref length);
                i += 4;
            }
        }

        if (i + 1 < text.Length && text[i] is ',' or '.' && char.IsAsciiDigit(text[i + 1]))
        {
            Append(".", ref buffer, ref wordBuffer, ref length);
            start = i + 1;
            i = DigitsEnd(text, start);
            Append(text[start..i], ref buffer, ref wordBuffer, ref length);
        }

        return length;
    }

    private static int DigitsEnd(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }

    private static void Append(ReadOnlySpan<char> part, ref Span<char> buffer, ref char[]? wordBuffer, ref int length, int reserve = 0)
    {
        if (length + part.Length + reserve > buffer.Length)
        {
            var larger = ArrayPool<char>.Shared.Rent(Math.Max(2 * buffer.Length, length + part.Length + reserve));
            buffer[..length].CopyTo(larger);
            Grow(ref buffer, ref wordBuffer, larger);
        }

        part.CopyTo(buffer[length..]);
        length += part.Length;
    }

    private static void Grow(ref Span<char> buffer, ref char[]? wordBuffer, char[] larger)
    {
        if (wordBuffer is not null)
        {
            ArrayPool<char>.Shared.Return(wordBuffer);
        }

        wordBuffer = larger;
        buffer = larger;
    }

    private static bool IsThousandsGroup(ReadOnlySpan<char> text, int i) =>
        i + 3 < text.Length
        && text[i] is ' ' or '\u00A0' or '\u202F' or '\u2009' or '.'
        && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3])
        && (i + 4 == text.Length || !char.IsAsciiDigit(text[i + 4]));

    // A stack buffer without stackalloc, which would keep Scan from being recompiled with the profile of its run.
    [InlineArray(StackWordLength)]
    private struct WordBuffer
    {
        private char _first;
    }

    private readonly struct ListSink(List<NormalizedWord> words) : IWordSink
    {
        public List<NormalizedWord> Words => words;

        public void Add(ReadOnlySpan<char> word, ulong hash, bool isNumber, bool isCapitalized, bool startsSentence) =>
            words.Add(new NormalizedWord(word.ToString(), isNumber, isCapitalized, startsSentence));
    }
}
