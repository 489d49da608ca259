using System.Text.RegularExpressions;

namespace Aggregator.Deduplication;

/// <summary>Removes what each outlet writes differently around the same dispatch: the opening dateline and wire tags.</summary>
internal static partial class WireMarks
{
    /// <summary>The text without its leading dateline and without any wire tag such as « (APS) » or « (Xinhua/Xie Huanchi) ».</summary>
    public static string Strip(string text)
    {
        var match = Dateline().Match(text);
        if (match.Success && IsDateline(match))
        {
            text = text[match.Length..];
        }

        return WireTag().Replace(text, " ");
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
