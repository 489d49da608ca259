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

        return Exact(trimmed, out var exact) ? exact : ParseAnyForm(trimmed);
    }

    /// <summary>Every form <see cref="Parse"/> reads, without its shortcut for the two most feeds write.</summary>
    internal static DateTimeOffset? ParseAnyForm(ReadOnlySpan<char> trimmed)
    {
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

    // Most feeds write their dates in one of two exact forms, RSS's "Fri, 27 Nov 2026 09:30:00 +0000" (RFC 822 as
    // RFC 1123 spells it) and Atom's "2026-11-27T09:30:00Z" (RFC 3339): read straight from the characters, each costs
    // a hundredth of the general path, which folds the text and tries three patterns (1.7% of the bench's all-new CPU).
    // Anything else, a French month, a zone by name, a missing second, goes the general way; both read these forms
    // alike (DateParserTests).
    private static bool Exact(ReadOnlySpan<char> text, out DateTimeOffset? date)
    {
        date = null;
        return text.Length switch
        {
            31 => Rfc1123(text, ref date),
            >= 20 => Rfc3339(text, ref date),
            _ => false,
        };
    }

    // "Ddd, dd Mmm yyyy hh:mm:ss +hhmm", English names in any case.
    private static bool Rfc1123(ReadOnlySpan<char> text, ref DateTimeOffset? date)
    {
        if (text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':'
            || text[25] != ' ' || text[26] is not ('+' or '-')
            || !IsEnglishDay(text[..3]) || EnglishMonth(text.Slice(8, 3)) is not (> 0 and var month)
            || !Digits(text.Slice(5, 2), out var day) || !Digits(text.Slice(12, 4), out var year)
            || !Digits(text.Slice(17, 2), out var hour) || !Digits(text.Slice(20, 2), out var minute) || !Digits(text.Slice(23, 2), out var second)
            || !Digits(text.Slice(27, 2), out var zoneHours) || !Digits(text.Slice(29, 2), out var zoneMinutes))
        {
            return false;
        }

        var offset = new TimeSpan(zoneHours, zoneMinutes, 0);
        date = Build(year, month, day, hour, minute, second, 0, text[26] == '-' ? -offset : offset, zoneHours <= 14 && zoneMinutes <= 59);
        return true;
    }

    // "yyyy-mm-ddThh:mm:ss", a fraction of up to seven digits, then "Z" or "+hh:mm".
    private static bool Rfc3339(ReadOnlySpan<char> text, ref DateTimeOffset? date)
    {
        if (text[4] != '-' || text[7] != '-' || text[10] is not ('T' or 't') || text[13] != ':' || text[16] != ':'
            || !Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute) || !Digits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var rest = text[19..];
        var ticks = 0;
        if (rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits is 1 or > 8 || !Digits(rest[1..digits], out ticks))
            {
                return false;
            }

            for (var i = digits; i < 8; i++)
            {
                ticks *= 10;
            }

            rest = rest[digits..];
        }

        TimeSpan offset;
        var zoneValid = true;
        if (rest is ['Z' or 'z'])
        {
            offset = TimeSpan.Zero;
        }
        else if (rest is ['+' or '-', _, _, ':', _, _] && Digits(rest.Slice(1, 2), out var zoneHours) && Digits(rest.Slice(4, 2), out var zoneMinutes))
        {
            offset = new TimeSpan(zoneHours, zoneMinutes, 0);
            offset = rest[0] == '-' ? -offset : offset;
            zoneValid = zoneHours <= 14 && zoneMinutes <= 59;
        }
        else
        {
            return false;
        }

        date = Build(year, month, day, hour, minute, second, ticks, offset, zoneValid);
        return true;
    }

    // The date as UTC, or null when a field is out of its range or the zone was not understood.
    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, int ticks, TimeSpan offset, bool zoneValid)
    {
        if (!zoneValid || year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var utcTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + ticks - offset.Ticks;
        return utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks
            ? null
            : new DateTimeOffset(utcTicks, TimeSpan.Zero);
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static bool IsEnglishDay(ReadOnlySpan<char> name) =>
        (name[0] | 0x20, name[1] | 0x20, name[2] | 0x20) is ('m', 'o', 'n') or ('t', 'u', 'e') or ('w', 'e', 'd') or ('t', 'h', 'u')
            or ('f', 'r', 'i') or ('s', 'a', 't') or ('s', 'u', 'n');

    // 1 to 12, or 0 when the three letters are no month.
    private static int EnglishMonth(ReadOnlySpan<char> name) => (name[0] | 0x20, name[1] | 0x20, name[2] | 0x20) switch
    {
        ('j', 'a', 'n') => 1,
        ('f', 'e', 'b') => 2,
        ('m', 'a', 'r') => 3,
        ('a', 'p', 'r') => 4,
        ('m', 'a', 'y') => 5,
        ('j', 'u', 'n') => 6,
        ('j', 'u', 'l') => 7,
        ('a', 'u', 'g') => 8,
        ('s', 'e', 'p') => 9,
        ('o', 'c', 't') => 10,
        ('n', 'o', 'v') => 11,
        ('d', 'e', 'c') => 12,
        _ => 0,
    };

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
        var fraction = match.Groups["fraction"].Value;
        var ticks = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        var offset = ParseZone(match.Groups["zone"].Value);
        return Build(year, month, Number(match, "day"), Number(match, "hour"), Number(match, "minute"), Number(match, "second"), ticks, offset ?? default, offset is not null);
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
