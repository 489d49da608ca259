namespace Aggregator.Cleaning;

/// <summary>Cuts a text to a summary at a sentence end when one is near, else at a word boundary with « … ».</summary>
internal static class Summary
{
    public static string Of(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var flat = TreeBuilder.CollapseSpaces(text ?? "").Trim();
        if (flat.Length <= maxLength)
        {
            return flat;
        }

        // A sentence end in the last 40% of the window reads better than a cut mid-sentence.
        for (var i = maxLength - 1; i >= maxLength * 3 / 5; i--)
        {
            if (flat[i] is '.' or '!' or '?' or '…' && TreeBuilder.IsAsciiSpace(flat[i + 1]))
            {
                return flat[..(i + 1)];
            }
        }

        // Non-breaking spaces glue « mot » and « : » to their word; they are not places to cut.
        var cut = maxLength - 1;
        while (cut > 0 && !TreeBuilder.IsAsciiSpace(flat[cut]))
        {
            cut--;
        }

        if (cut == 0)
        {
            cut = maxLength - 1;
            if (char.IsLowSurrogate(flat[cut]))
            {
                cut--;
            }
        }

        return flat[..cut].TrimEnd(' ', ',', ';', ':', '-', '–', '—', '(', '«', '\u00a0', '\u202f') + "…";
    }
}
