using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Configuration;

/// <summary>Reads durations as admins write them in feeds.json: 90s, 15m, 2h, 1d, 1h30m or hh:mm:ss.</summary>
internal static partial class DurationParser
{
    // Each part is capped at six digits so the sum in seconds can never overflow.
    [GeneratedRegex(@"^(?:(?<d>[0-9]{1,6})d)?(?:(?<h>[0-9]{1,6})h)?(?:(?<m>[0-9]{1,6})m)?(?:(?<s>[0-9]{1,6})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitsPattern();

    [GeneratedRegex(@"^(?<h>[0-9]{1,3}):(?<m>[0-5][0-9]):(?<s>[0-5][0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockPattern();

    public const string Hint = "use e.g. 90s, 15m, 2h, 1d, 1h30m or hh:mm:ss";

    /// <summary>False for anything else, and for a zero duration: no schedule or timeout can be zero.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var match = ClockPattern().Match(text);
        if (!match.Success)
        {
            match = UnitsPattern().Match(text);
        }

        if (!match.Success)
        {
            return false;
        }

        var seconds = (Part(match, "d") * 86_400) + (Part(match, "h") * 3_600) + (Part(match, "m") * 60) + Part(match, "s");
        if (seconds <= 0)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static long Part(Match match, string name)
    {
        var group = match.Groups[name];
        return group.Success ? long.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
    }
}
