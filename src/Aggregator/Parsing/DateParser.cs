using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Parsing;

/// <summary>Feed dates as outlets really write them (RFC 822, localised French, ISO 8601), as UTC.</summary>
/// <remarks>
/// A date without any zone is read as UTC: the outlet's local time is meant, but nothing in the text
/// says which, and UTC keeps the error within a few hours instead of guessing per feed.
/// Culture-independent: only ASCII digits and the built-in English and French names are recognised.
/// </remarks>
internal static partial class DateParser
{
    // Real dates are under 60 characters; longer text is a title or a body put in the wrong field.
    private const int MaxLength = 128;

    private const string Time = """(?<hour>[0-9]{1,2})[:h](?<minute>[0-9]{2})(?::(?<second>[0-9]{2})(?:[.,](?<fraction>[0-9]+))?)?""";

    private const string Zone = """(?<zone>[a-z]{1,4}|(?:(?:gmt|utc|ut)\s?)?[+-][0-9]{1,2}(?::?[0-9]{2})?)""";

    // Index + 1 is the month number; French names are listed without accents, as Normalize leaves them.
    private static readonly string[][] MonthNames =
    [
        ["jan", "january", "janv", "janvier"],
        ["feb", "february", "fev", "fevr", "fevrier"],
        ["mar", "march", "mars"],
        ["apr", "april", "avr", "avril"],
        ["may", "mai"],
        ["jun", "june", "juin"],
        ["jul", "july", "juil", "juillet"],
        ["aug", "august", "aou", "aout"],
        ["sep", "sept", "september", "septembre"],
        ["oct", "october", "octobre"],
        ["nov", "november", "novembre"],
        ["dec", "december", "decembre"],
    ];

    private static readonly Dictionary<string, int> Months = MonthNames
        .SelectMany((names, index) => names.Select(name => (Name: name, Month: index + 1)))
        .ToDictionary(entry => entry.Name, entry => entry.Month, StringComparer.Ordinal);

    private static readonly HashSet<string> DayNames = new(StringComparer.Ordinal)
    {
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "lun", "mar", "mer", "jeu", "ven", "sam", "dim",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    };

    private static readonly Dictionary<string, int> ZoneHours = new (string Name, int Hours)[]
    {
        ("gmt", 0), ("ut", 0), ("utc", 0), ("z", 0), ("wet", 0), ("west", 1), ("bst", 1),
        ("cet", 1), ("cest", 2), ("eet", 2), ("eest", 3), ("jst", 9),
        ("est", -5), ("edt", -4), ("cst", -6), ("cdt", -5), ("mst", -7), ("mdt", -6), ("pst", -8), ("pdt", -7),
    }.ToDictionary(zone => zone.Name, zone => zone.Hours, StringComparer.Ordinal);

    public static DateTimeOffset? Parse(string? text)
    {
        // A lone surrogate would make string.Normalize throw, and no date contains one.
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed.Length > MaxLength || trimmed.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return null;
        }

        var normalized = Normalize(trimmed.ToString());
        var iso = IsoDate().Match(normalized);
        if (iso.Success)
        {
            return Build(iso, Number(iso, "year"), Number(iso, "month"));
        }

        var numeric = DayFirstDate().Match(normalized);
        if (numeric.Success)
        {
            return Build(numeric, Number(numeric, "year"), Number(numeric, "month"));
        }

        var named = NamedDate().Match(normalized);
        if (named.Success
            && (!named.Groups["dow"].Success || DayNames.Contains(named.Groups["dow"].Value))
            && Months.TryGetValue(named.Groups["month"].Value, out var month))
        {
            return Build(named, ExpandYear(named.Groups["year"].Value), month);
        }

        return null;
    }

    // Lower-case, no accents, single spaces (French typography puts narrow no-break spaces anywhere),
    // no commas, no abbreviation dots, no trailing "(CET)"-style comment.
    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(char.IsWhiteSpace(c) || c == ',' ? ' ' : char.ToLowerInvariant(c));
        }

        var flat = AbbreviationDot().Replace(builder.ToString(), string.Empty);
        flat = TrailingComment().Replace(flat, string.Empty);
        return Spaces().Replace(flat, " ").Trim();
    }

    private static DateTimeOffset? Build(Match match, int year, int month)
    {
        var day = Number(match, "day");
        var hour = Number(match, "hour");
        var minute = Number(match, "minute");
        var second = Number(match, "second");
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || ParseZone(match.Groups["zone"].Value) is not { } offset)
        {
            return null;
        }

        var fraction = match.Groups["fraction"].Value;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        var utcTicks = local.Ticks - offset.Ticks;
        return utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks
            ? null
            : new DateTimeOffset(utcTicks, TimeSpan.Zero);
    }

    private static TimeSpan? ParseZone(string zone)
    {
        if (zone.Length == 0)
        {
            return TimeSpan.Zero;
        }

        if (ZoneHours.TryGetValue(zone, out var hours))
        {
            return TimeSpan.FromHours(hours);
        }

        // RFC 2822 4.3: RFC 822 got the military zones' signs wrong, so they carry no information.
        if (zone.Length == 1 && zone[0] is >= 'a' and <= 'z' && zone[0] != 'j')
        {
            return TimeSpan.Zero;
        }

        var numeric = NumericZone().Match(zone);
        if (!numeric.Success)
        {
            return null;
        }

        var offsetHours = Number(numeric, "hours");
        var offsetMinutes = Number(numeric, "minutes");
        if (offsetHours > 14 || offsetMinutes > 59)
        {
            return null;
        }

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        return numeric.Groups["sign"].Value == "-" ? -offset : offset;
    }

    // RFC 2822 4.3: two-digit years below 50 are in the 2000s.
    private static int ExpandYear(string year)
    {
        var value = int.Parse(year, CultureInfo.InvariantCulture);
        return year.Length == 2 ? value + (value < 50 ? 2000 : 1900) : value;
    }

    private static int Number(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("^(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})(?:[t ]" + Time + @"\s?" + Zone + "?)?$")]
    private static partial Regex IsoDate();

    [GeneratedRegex("^(?<day>[0-9]{1,2})/(?<month>[0-9]{1,2})/(?<year>[0-9]{4})(?: (?:a )?" + Time + "(?: ?" + Zone + ")?)?$")]
    private static partial Regex DayFirstDate();

    [GeneratedRegex("^(?:(?<dow>[a-z]+) )?(?<day>[0-9]{1,2})(?:er)? (?<month>[a-z]+) (?<year>[0-9]{4}|[0-9]{2})(?: (?:a )?" + Time + "(?: ?" + Zone + ")?)?$")]
    private static partial Regex NamedDate();

    [GeneratedRegex("^(?:(?:gmt|utc|ut) ?)?(?<sign>[+-])(?<hours>[0-9]{1,2}):?(?<minutes>[0-9]{2})?$")]
    private static partial Regex NumericZone();

    [GeneratedRegex(@"(?<=[a-z])\.")]
    private static partial Regex AbbreviationDot();

    [GeneratedRegex(@"\s*\([a-z ]*\)$")]
    private static partial Regex TrailingComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
