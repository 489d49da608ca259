using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Aggregator.Cleaning;

/// <summary>
/// Drops the page furniture wire feeds carry around a dispatch (stamps, share bars, ads, related links)
/// and turns photo credits into figure captions. Works on the top-level blocks only, and only on blocks
/// that start with a known phrase or are short, so a dispatch that merely mentions « partager » stays.
/// </summary>
internal static class BoilerplateRemover
{
    private const int StampMaxLength = 160;
    private const int RelatedMaxLength = 160;
    private const double LinkDense = 0.6;
    private const int MaxBoilerplateLength = 240;

    public static void Remove(CleanNode root)
    {
        var kept = new List<Measured>(root.Children.Count);
        var dropLinkListAfter = false;
        foreach (var block in root.Children)
        {
            var (text, length, linkChars) = BlockText.Measure(block, IsCandidate);
            var measured = new Measured(block, text, length, Density(length, linkChars));
            if (dropLinkListAfter && measured.Density >= LinkDense)
            {
                continue;
            }

            dropLinkListAfter = false;
            if (text is null)
            {
                // Long prose: no rule below can match it, and folding it costs.
                kept.Add(measured);
                continue;
            }

            var key = Fold(text);
            var related = MatchRelated(key, measured.Density);
            if (related == RelatedMatch.Heading)
            {
                dropLinkListAfter = true;
                continue;
            }

            if (related == RelatedMatch.Block || IsStamp(key) || IsBar(key, BoilerplatePhrases.Share) || IsBar(key, BoilerplatePhrases.Ads)
                || IsBar(key, []))
            {
                continue;
            }

            kept.Add(measured);
        }

        TrimTrailingLinks(kept);
        TrimRules(kept);
        // A credit is a short line: a block whose text was not kept is not one.
        root.Children = CreditCaptioner.Caption(kept.ConvertAll(m => (m.Block, m.Text ?? "")));
    }

    /// <summary>A block the rules below may drop: short, or made of links. Only such blocks' text is read out.</summary>
    private static bool IsCandidate(int length, int linkChars) => length <= MaxBoilerplateLength || Density(length, linkChars) >= LinkDense;

    private static double Density(int length, int linkChars) => length == 0 ? 0 : (double)linkChars / length;

    /// <param name="Text">The block's text on one line; null for long prose (see <see cref="IsCandidate"/>).</param>
    private sealed record Measured(CleanNode Block, string? Text, int Length, double Density)
    {
        public bool IsProse => Length > 0 && Density < LinkDense;
    }

    private enum RelatedMatch { None, Heading, Block }

    private static RelatedMatch MatchRelated(string key, double density)
    {
        foreach (var phrase in BoilerplatePhrases.Related)
        {
            if (!key.StartsWith(phrase, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key.AsSpan(phrase.Length).Trim(" :-–—»›>|.…".AsSpan());
            if (rest.Length == 0)
            {
                return RelatedMatch.Heading;
            }

            // « Lire aussi : headline » or « Lire aussi <a>headline</a> », but not « Voir aussi les mesures... ».
            var separated = key.Length > phrase.Length && key[phrase.Length] is ':' or '-' or '–' or '—' or '»' or '|' or '>'
                || key.AsSpan(phrase.Length).TrimStart().StartsWith(":", StringComparison.Ordinal);
            if (density >= LinkDense || (separated && key.Length <= RelatedMaxLength))
            {
                return RelatedMatch.Block;
            }
        }

        return RelatedMatch.None;
    }

    private static bool IsStamp(string key)
    {
        if (key.Length > StampMaxLength || !key.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return false;
        }

        foreach (var phrase in BoilerplatePhrases.Stamps)
        {
            if (key.StartsWith(phrase, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A bar is a phrase followed only by filler words (network names, « sur », « nous »...).</summary>
    private static bool IsBar(string key, string[] phrases)
    {
        if (key.Length == 0 || key.Length > 200)
        {
            return false;
        }

        var rest = key.AsSpan();
        if (phrases.Length > 0)
        {
            string? matched = null;
            foreach (var phrase in phrases)
            {
                if (key.StartsWith(phrase, StringComparison.Ordinal))
                {
                    matched = phrase;
                    break;
                }
            }

            if (matched is null)
            {
                return false;
            }

            rest = rest[matched.Length..];
        }

        var words = 0;
        while (rest.Length > 0)
        {
            var separator = rest.IndexOfAny(WordSeparators);
            var word = separator < 0 ? rest : rest[..separator];
            rest = separator < 0 ? [] : rest[(separator + 1)..];
            if (word.Length == 0)
            {
                continue;
            }

            if (!Filler.Contains(word))
            {
                return false;
            }

            words++;
        }

        // With no phrase at all, only a bar of at least two network names counts (« Facebook Twitter »).
        return phrases.Length > 0 || words >= 2;
    }

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Filler =
        BoilerplatePhrases.Filler.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> WordSeparators = SearchValues.Create(" \u00a0\u202f:|-–—/,.!'’()[]»«•·>+");

    /// <summary>Link-dense blocks after the last prose block are navigation, unless nothing else is left.</summary>
    private static void TrimTrailingLinks(List<Measured> blocks)
    {
        var firstProse = blocks.FindIndex(b => b.IsProse);
        while (firstProse >= 0 && blocks.Count - 1 > firstProse)
        {
            var last = blocks[^1];
            if (last.Block.Tag != "hr" && !(last.Length > 0 && last.Density >= LinkDense))
            {
                break;
            }

            blocks.RemoveAt(blocks.Count - 1);
        }
    }

    private static void TrimRules(List<Measured> blocks)
    {
        for (var i = blocks.Count - 1; i >= 0; i--)
        {
            var rule = blocks[i].Block.Tag == "hr";
            if (rule && (i == 0 || i == blocks.Count - 1 || blocks[i - 1].Block.Tag == "hr"))
            {
                blocks.RemoveAt(i);
            }
        }

        while (blocks.Count > 0 && blocks[0].Block.Tag == "hr")
        {
            blocks.RemoveAt(0);
        }
    }

    /// <summary>Lower case, no accents, straight apostrophes, no leading bullets: the form phrases are written in.</summary>
    public static string Fold(string text)
    {
        var start = 0;
        while (start < text.Length && !char.IsLetterOrDigit(text[start]))
        {
            start++;
        }

        var span = text.AsSpan(start, Math.Min(text.Length - start, 240));
        // At most 240 characters, a few more once decomposed: the stack holds them, and only the key is allocated.
        Span<char> folded = stackalloc char[FoldStackLength];
        var length = 0;
        foreach (var c in span)
        {
            if (c >= FoldTable.Length || FoldTable[c] == Decompose)
            {
                return SlowFold(span);
            }

            if (FoldTable[c] != Dropped)
            {
                folded[length++] = FoldTable[c];
            }
        }

        return new string(folded[..length]);
    }

    /// <summary>The same, for text that holds a character the table leaves to Unicode's full decomposition.</summary>
    private static string SlowFold(ReadOnlySpan<char> span)
    {
        var decomposed = span.ToString().Normalize(NormalizationForm.FormD).AsSpan();
        var rented = decomposed.Length > FoldStackLength ? ArrayPool<char>.Shared.Rent(decomposed.Length) : null;
        Span<char> folded = rented ?? stackalloc char[FoldStackLength];
        var length = 0;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded[length++] = Lower(c);
            }
        }

        var key = new string(folded[..length]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return key;
    }

    /// <summary>A character of a decomposed text that is not an accent, as keys hold it.</summary>
    private static char Lower(char c) => c switch
    {
        '’' or '‘' => '\'',
        '\u00a0' or '\u202f' => ' ',
        _ => char.ToLowerInvariant(c),
    };

    private const char Dropped = '\0';
    private const char Decompose = '\uffff';

    // Each character up to the end of the punctuation and symbol blocks folded alone, as the text's decomposition would
    // fold it: French is read by lookups alone. A character whose decomposition is more than one character, or that
    // the decomposition could reorder, is marked for the text's full decomposition. Built once, 24 KB.
    private static readonly char[] FoldTable = BuildFoldTable();

    private static char[] BuildFoldTable()
    {
        var table = new char[0x3000];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)i;
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            // U+0000 folds to itself, which the table cannot tell from an accent dropped.
            if (c == Dropped || char.IsSurrogate(c) || category is UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                table[i] = Decompose;
                continue;
            }

            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            var kept = decomposed.Where(d => CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark).Select(Lower).ToList();
            table[i] = kept.Count switch
            {
                0 => Dropped,
                1 when kept[0] is not (Dropped or Decompose) => kept[0],
                _ => Decompose,
            };
        }

        return table;
    }

    private const int FoldStackLength = 512;
}
