using System.Buffers;
using System.Text.RegularExpressions;

namespace Aggregator.Deduplication;

/// <summary>Removes what each outlet writes differently around the same dispatch: the opening dateline and wire tags.</summary>
internal static partial class WireMarks
{
    /// <summary>The text without its leading dateline and with each wire tag such as « (APS) » or « (Xinhua/Xie Huanchi) » replaced by a space.</summary>
    /// <param name="text">The text to strip.</param>
    /// <param name="rented">
    /// A pooled buffer holding the result when the text had wire tags to blank, for the caller to return to
    /// <see cref="ArrayPool{T}.Shared"/>; otherwise null and the result is a slice of <paramref name="text"/>.
    /// </param>
    public static ReadOnlySpan<char> Strip(string text, out char[]? rented)
    {
        rented = null;
        var body = text.AsSpan(DatelineLength(text));
        var written = 0;
        var copied = 0;
        foreach (var tag in WireTag().EnumerateMatches(body))
        {
            // Blanking leaves the text shorter, so a buffer of the body's length always holds it.
            rented ??= ArrayPool<char>.Shared.Rent(body.Length);
            body[copied..tag.Index].CopyTo(rented.AsSpan(written));
            written += tag.Index - copied;
            rented[written++] = ' ';
            copied = tag.Index + tag.Length;
        }

        if (rented is null)
        {
            return body;
        }

        body[copied..].CopyTo(rented.AsSpan(written));
        return rented.AsSpan(0, written + body.Length - copied);
    }

    private static int DatelineLength(string text)
    {
        var match = Dateline().Match(text);
        return match.Success && IsDateline(match) ? match.Length : 0;
    }

    // A bare « Xi Jinping : » or « Le Maroc - » at the start is prose, not a dateline: ask for a date,
    // a wire tag or a city in capitals before removing anything.
    private static bool IsDateline(Match match)
    {
        if (match.Groups["date"].Success || match.Groups["tag"].Success)
        {
            return true;
        }

        var city = match.Groups["city"].Value;
        return city.Length >= 3 && !city.Any(char.IsLower);
    }

    [GeneratedRegex(
        """
        ^\s*
        (?<city>\p{Lu}[\p{L}'’.]*(?:[\s-]+(?:\p{Lu}[\p{L}'’.]*|de|du|des|la|el|al|d'|l'|d’|l’))*)\s*
        (?:\((?!\s*\d)[^()\n]{1,40}\)\s*)??
        (?:,\s*(?<date>(?:le\s+)?(?:\p{L}+\.?,?\s+)?(?:\d{1,2}(?:er)?\s+\p{L}+\.?(?:\s+\d{4})?|\d{1,2}/\d{1,2}/\d{2,4}))\s*)?
        (?<tag>\([^()\n]{1,40}\)\s*)?
        (?:-{1,2}|–|—)\s+
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Dateline();

    [GeneratedRegex(
        """
        \(\s*(?:photos?\s*[:/]?\s*)?
        (?:APS|Xinhua|MAP|AFP|Reuters|AP|PANA|TAP|ANP|APA|AIP|ACP|QDP|Chine\s+Nouvelle|
           (?:le\s+)?Quotidien\s+du\s+Peuple(?:\s+en\s+ligne)?|RFI|France\s*24|CGTN|CRI)
        (?:\s*[/,]\s*[^()\n]{0,60})?\s*\)
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WireTag();
}
