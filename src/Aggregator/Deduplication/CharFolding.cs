using System.Globalization;
using System.Text;

namespace Aggregator.Deduplication;

/// <summary>Folds a character to its comparable form: lower case, accents dropped, ligatures expanded.</summary>
internal static class CharFolding
{
    private const int TableSize = 0x250;

    // Built once from the Unicode decompositions, so « Ç », « ê » or « ň » need no hand-written list.
    private static readonly string[] Table = BuildTable();

    /// <summary>The most characters <see cref="Fold"/> writes for one character.</summary>
    public static readonly int MaxLength = Table.Max(f => f.Length);

    /// <summary>Writes the folded form of a letter or digit and returns its length; combining marks (a lone accent) write nothing.</summary>
    /// <remarks><paramref name="destination"/> must hold <see cref="MaxLength"/> characters.</remarks>
    public static int Fold(char c, Span<char> destination)
    {
        if (char.IsAscii(c))
        {
            destination[0] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
            return 1;
        }

        if (c < TableSize)
        {
            var folded = Table[c];
            if (folded.Length == 1)
            {
                destination[0] = folded[0];
                return 1;
            }

            folded.CopyTo(destination);
            return folded.Length;
        }

        if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
        {
            return 0;
        }

        destination[0] = char.ToLowerInvariant(c);
        return 1;
    }

    private static string[] BuildTable()
    {
        var table = new string[TableSize];
        for (var i = 0; i < TableSize; i++)
        {
            table[i] = Fold((char)i);
        }

        return table;
    }

    private static string Fold(char c)
    {
        switch (c)
        {
            case 'œ' or 'Œ': return "oe";
            case 'æ' or 'Æ': return "ae";
            case 'ß': return "ss";
            case 'ø' or 'Ø': return "o";
            case 'đ' or 'Đ': return "d";
            case 'ł' or 'Ł': return "l";
            case 'ı': return "i";
        }

        if (char.IsSurrogate(c))
        {
            return c.ToString();
        }

        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(2);
        foreach (var part in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(part) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(part));
            }
        }

        return folded.ToString();
    }
}
