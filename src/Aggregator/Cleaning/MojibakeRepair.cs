using System.Text;
using System.Text.Unicode;

namespace Aggregator.Cleaning;

/// <summary>Undoes UTF-8 text that was decoded as windows-1252 (« bÃ¢timent » → « bâtiment »), when that is unambiguous.</summary>
internal static class MojibakeRepair
{
    private static readonly Encoding Windows1252 = LoadWindows1252();

    public static string Repair(string text)
    {
        var suspicious = CountSuspicious(text);
        if (suspicious == 0)
        {
            return text;
        }

        // Repeated while it helps: some titles arrive double-encoded by the outlet's own pipeline. Each round
        // must lower the count, so this ends, and a second call finds nothing more to do.
        while (suspicious > 0)
        {
            var repaired = TryRepair(text) ?? RepairByWord(text);
            var remaining = CountSuspicious(repaired);
            if (remaining >= suspicious)
            {
                break;
            }

            text = repaired;
            suspicious = remaining;
        }

        return text;
    }

    /// <summary>Sequences that read like UTF-8 bytes shown as windows-1252: a lead character then continuations.</summary>
    public static int CountSuspicious(string text)
    {
        // Lead characters are rare in clean text: jump between them instead of testing every character.
        var first = text.AsSpan().IndexOfAnyInRange('\u00c2', '\u00f4');
        if (first < 0)
        {
            return 0;
        }

        var count = 0;
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '\u00c2' || c > '\u00f4')
            {
                var next = text.AsSpan(i).IndexOfAnyInRange('\u00c2', '\u00f4');
                if (next < 0)
                {
                    break;
                }

                i += next;
                c = text[i];
            }

            var needed = c <= '\u00df' ? 1 : c <= '\u00ef' ? 2 : 3;
            var ok = true;
            for (var k = 1; k <= needed; k++)
            {
                if (i + k >= text.Length || !IsContinuation(text[i + k]))
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                count++;
                i += needed;
            }
        }

        return count;
    }

    private static string RepairByWord(string text)
    {
        var builder = new StringBuilder(text.Length);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !IsAsciiSpace(text[i]))
            {
                continue;
            }

            var word = text[start..i];
            builder.Append(CountSuspicious(word) > 0 ? TryRepair(word) ?? word : word);
            if (i < text.Length)
            {
                builder.Append(text[i]);
            }

            start = i + 1;
        }

        return builder.ToString();
    }

    private static string? TryRepair(string text)
    {
        foreach (var c in text)
        {
            if (!IsWindows1252(c))
            {
                return null;
            }
        }

        var bytes = Windows1252.GetBytes(text);
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
    }

    private static bool IsAsciiSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    // The five bytes windows-1252 leaves undefined are left out: the encoder would refuse them.
    private static bool IsWindows1252(char c) => c < '\u0080' || (c >= '\u00a0' && c <= '\u00ff') || IsHigh1252(c);

    /// <summary>Characters windows-1252 puts at 0x80–0xBF, i.e. UTF-8 continuation bytes.</summary>
    private static bool IsContinuation(char c) =>
        (c >= '\u00a0' && c <= '\u00bf') || IsHigh1252(c) || c is '\u0081' or '\u008d' or '\u008f' or '\u0090' or '\u009d';

    private static bool IsHigh1252(char c) => c switch
    {
        '€' or '‚' or 'ƒ' or '„' or '…' or '†' or '‡' or 'ˆ' or '‰' or 'Š' or '‹' or 'Œ' or 'Ž' or '‘' or '’' or '“' or '”'
            or '•' or '–' or '—' or '˜' or '™' or 'š' or '›' or 'œ' or 'ž' or 'Ÿ' => true,
        _ => false,
    };

    private static Encoding LoadWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }
}
