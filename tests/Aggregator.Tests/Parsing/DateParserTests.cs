using System.Globalization;
using Aggregator.Parsing;

namespace Aggregator.Tests.Parsing;

public class DateParserTests
{
    private static readonly string[] Cultures = ["", "fr-FR", "en-US", "ar-SA", "th-TH"];

    [Theory]
    // RFC 822 / 1123
    [InlineData("Fri, 13 Nov 2015 18:30:00 +0800", "2015-11-13T10:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 -0500", "2015-11-13T23:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 +08:00", "2015-11-13T10:30:00Z")]
    [InlineData("Fri, 13 Nov 15 18:30:00 +0800", "2015-11-13T10:30:00Z")]
    [InlineData("Sat, 13 Nov 99 18:30:00 GMT", "1999-11-13T18:30:00Z")]
    [InlineData("13 Nov 2015 18:30 +0800", "2015-11-13T10:30:00Z")]
    [InlineData("Fri, 3 Nov 2015 08:05:09 GMT", "2015-11-03T08:05:09Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 GMT", "2015-11-13T18:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 UT", "2015-11-13T18:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 UTC", "2015-11-13T18:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 Z", "2015-11-13T18:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 EST", "2015-11-13T23:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 EDT", "2015-11-13T22:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 CST", "2015-11-14T00:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 CDT", "2015-11-13T23:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 MST", "2015-11-14T01:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 MDT", "2015-11-14T00:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 PST", "2015-11-14T02:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 PDT", "2015-11-14T01:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 CET", "2015-11-13T17:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 CEST", "2015-11-13T16:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 WET", "2015-11-13T18:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 WEST", "2015-11-13T17:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 EET", "2015-11-13T16:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 EEST", "2015-11-13T15:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 BST", "2015-11-13T17:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 JST", "2015-11-13T09:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 A", "2015-11-13T18:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 +0100 (CET)", "2015-11-13T17:30:00Z")]
    [InlineData("fri, 13 nov 2015 18:30:00 gmt", "2015-11-13T18:30:00Z")]
    [InlineData("Friday, 13 November 2015 18:30:00 GMT", "2015-11-13T18:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 GMT+0800", "2015-11-13T10:30:00Z")]
    [InlineData("  Fri,  13 Nov 2015  18:30:00 +0800  ", "2015-11-13T10:30:00Z")]
    [InlineData("Fri, 13 Nov 2015 18:30:00", "2015-11-13T18:30:00Z")]
    [InlineData("Tue, 1 Mar 2016 00:00:00 +1400", "2016-02-29T10:00:00Z")]
    // Localised French
    [InlineData("ven., 13 nov. 2015 18:30:00 +0800", "2015-11-13T10:30:00Z")]
    [InlineData("sam. 14 novembre 2015 10:05", "2015-11-14T10:05:00Z")]
    [InlineData("vendredi 13 novembre 2015 18:30:00 GMT", "2015-11-13T18:30:00Z")]
    [InlineData("VENDREDI 13 NOVEMBRE 2015 18:30:00 GMT", "2015-11-13T18:30:00Z")]
    [InlineData("lun. 5 janv. 2015 08:00:00 +0100", "2015-01-05T07:00:00Z")]
    [InlineData("lundi 5 janvier 2015 08:00", "2015-01-05T08:00:00Z")]
    [InlineData("mar 10 févr. 2015 08:00", "2015-02-10T08:00:00Z")]
    [InlineData("mardi 10 février 2015 08:00", "2015-02-10T08:00:00Z")]
    [InlineData("mardi 10 fevrier 2015 08:00", "2015-02-10T08:00:00Z")]
    [InlineData("mer. 11 mars 2015 08:00", "2015-03-11T08:00:00Z")]
    [InlineData("jeu. 9 avr. 2015 08:00", "2015-04-09T08:00:00Z")]
    [InlineData("jeudi 9 avril 2015 08:00", "2015-04-09T08:00:00Z")]
    [InlineData("ven 1 mai 2015 08:00", "2015-05-01T08:00:00Z")]
    [InlineData("1er mai 2015 08:00", "2015-05-01T08:00:00Z")]
    [InlineData("dim. 7 juin 2015 08:00", "2015-06-07T08:00:00Z")]
    [InlineData("mer. 1 juil. 2015 08:00", "2015-07-01T08:00:00Z")]
    [InlineData("mercredi 1 juillet 2015 08:00", "2015-07-01T08:00:00Z")]
    [InlineData("sam. 15 août 2015 08:00", "2015-08-15T08:00:00Z")]
    [InlineData("samedi 15 aout 2015 08:00", "2015-08-15T08:00:00Z")]
    [InlineData("mar. 1 sept. 2015 08:00", "2015-09-01T08:00:00Z")]
    [InlineData("mardi 1 septembre 2015 08:00", "2015-09-01T08:00:00Z")]
    [InlineData("jeu. 1 oct. 2015 08:00", "2015-10-01T08:00:00Z")]
    [InlineData("jeudi 1 octobre 2015 08:00", "2015-10-01T08:00:00Z")]
    [InlineData("mar. 1 déc. 2015 08:00", "2015-12-01T08:00:00Z")]
    [InlineData("mardi 1 décembre 2015 08:00 CET", "2015-12-01T07:00:00Z")]
    [InlineData("mardi 1 decembre 2015 08:00", "2015-12-01T08:00:00Z")]
    [InlineData("mar 1 dec 2015 08:00", "2015-12-01T08:00:00Z")]
    [InlineData("vendredi\u00A013\u202Fnovembre 2015 à 18h30", "2015-11-13T18:30:00Z")]
    [InlineData("13 novembre 2015", "2015-11-13T00:00:00Z")]
    // Day-first numeric, as French sites print it
    [InlineData("13/11/2015 18:30", "2015-11-13T18:30:00Z")]
    [InlineData("13/11/2015", "2015-11-13T00:00:00Z")]
    [InlineData("3/1/2015 à 09h05", "2015-01-03T09:05:00Z")]
    [InlineData("13/11/2015 18:30:00 +0100", "2015-11-13T17:30:00Z")]
    // ISO 8601 / RFC 3339
    [InlineData("2015-11-13T18:30:00+08:00", "2015-11-13T10:30:00Z")]
    [InlineData("2015-11-13T18:30:00+0800", "2015-11-13T10:30:00Z")]
    [InlineData("2015-11-13T10:30:00Z", "2015-11-13T10:30:00Z")]
    [InlineData("2015-11-13t10:30:00z", "2015-11-13T10:30:00Z")]
    [InlineData("2015-11-13T10:30:00.123Z", "2015-11-13T10:30:00.123Z")]
    [InlineData("2015-11-13T10:30:00.1234567-02:30", "2015-11-13T13:00:00.1234567Z")]
    [InlineData("2015-11-13T10:30Z", "2015-11-13T10:30:00Z")]
    [InlineData("2015-11-13", "2015-11-13T00:00:00Z")]
    [InlineData("2015-11-13 18:30:00", "2015-11-13T18:30:00Z")]
    [InlineData("2015-11-13 18:30:00 CET", "2015-11-13T17:30:00Z")]
    [InlineData("2016-02-29T23:59:59-01:00", "2016-03-01T00:59:59Z")]
    public void Parse_KnownFormat_ReturnsUtcInstant(string text, string expectedUtc)
    {
        var expected = DateTimeOffset.Parse(expectedUtc, CultureInfo.InvariantCulture);

        foreach (var culture in Cultures)
        {
            var parsed = InCulture(culture, () => DateParser.Parse(text));

            Assert.Equal(expected, parsed);
            Assert.Equal(TimeSpan.Zero, parsed!.Value.Offset);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hier")]
    [InlineData("not a date")]
    [InlineData("Fri, 13 Foo 2015 18:30:00 GMT")]
    [InlineData("Blursday, 13 Nov 2015 18:30:00 GMT")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 XYZ")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 +2500")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 +0860")]
    [InlineData("Fri, 32 Nov 2015 18:30:00 GMT")]
    [InlineData("Fri, 31 Nov 2015 18:30:00 GMT")]
    [InlineData("Sun, 29 Feb 2015 18:30:00 GMT")]
    [InlineData("Fri, 13 Nov 2015 25:30:00 GMT")]
    [InlineData("Fri, 13 Nov 2015 18:60:00 GMT")]
    [InlineData("Fri, 13 Nov 2015 18:30:61 GMT")]
    [InlineData("2015-13-13T10:30:00Z")]
    [InlineData("2015-00-13T10:30:00Z")]
    [InlineData("2015-11-32")]
    [InlineData("2015-11-13T25:00:00Z")]
    [InlineData("2015-11-13T24:00:00Z")]
    [InlineData("32/11/2015 18:30")]
    [InlineData("13/13/2015 18:30")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("\u0661\u0663/11/2015")]
    [InlineData("Fri, 13 Nov 2015 18:30:00 GMT\uD800")]
    public void Parse_UnparseableOrOutOfRange_ReturnsNull(string? text)
    {
        foreach (var culture in Cultures)
        {
            Assert.Null(InCulture(culture, () => DateParser.Parse(text)));
        }
    }

    [Fact]
    public void Parse_DateInsideLongText_ReturnsNull()
    {
        var text = new string('x', 200) + " 13 Nov 2015 18:30:00 GMT";

        Assert.Null(DateParser.Parse(text));
    }

    [Fact]
    public void Parse_DateWithLongPadding_IsTrimmed()
    {
        var text = new string(' ', 200) + "13 Nov 2015 18:30:00 GMT" + new string(' ', 200);

        Assert.Equal(new DateTimeOffset(2015, 11, 13, 18, 30, 0, TimeSpan.Zero), DateParser.Parse(text));
    }

    [Fact]
    public void Parse_NoZone_IsReadAsUtc()
    {
        var parsed = DateParser.Parse("2015-11-13 18:30:00");

        Assert.Equal(new DateTimeOffset(2015, 11, 13, 18, 30, 0, TimeSpan.Zero), parsed);
    }

    [Fact]
    public void Parse_MismatchedDayName_StillTrustsTheDate()
    {
        var parsed = DateParser.Parse("Mon, 13 Nov 2015 18:30:00 GMT");

        Assert.Equal(new DateTimeOffset(2015, 11, 13, 18, 30, 0, TimeSpan.Zero), parsed);
    }

    [Fact]
    public void Parse_TheTwoExactForms_ReadsThemAsTheGeneralPathDoes()
    {
        // The shortcut for RSS's and Atom's own forms against the path that reads every form, on dates valid and not:
        // day 31 of a short month, 29 February off leap years, hour 24, second 60, zones past ±14 h or 59 minutes,
        // year 0 and 9999 pushed past the calendar, names in any case or not names at all, fractions of 1 to 8 digits.
        string[] days = ["Mon", "tue", "WED", "Thu", "Fri", "sAt", "Sun", "Xyz", "Mar", "Lun"];
        string[] months = ["Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Fev", "Mai", "Xyz"];
        string[] years = ["2026", "2024", "2023", "1999", "0000", "0001", "9999"];
        int[] dayNumbers = [0, 1, 9, 28, 29, 30, 31, 32];
        int[] hours = [0, 9, 23, 24];
        int[] seconds = [0, 59, 60];
        string[] rssZones = ["+0000", "-0500", "+0800", "+1400", "-1400", "+1500", "+0860", "+0575", "-0030"];
        string[] atomZones = ["Z", "z", "+00:00", "-05:00", "+08:00", "+14:00", "+15:00", "+08:60", "-00:30"];
        string[] fractions = ["", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".1234567", ".12345678", "."];
        var random = new Random(20261128);
        var tried = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var year = Pick(years);
            var (day, hour, second) = (Pick(dayNumbers), Pick(hours), Pick(seconds));
            var minute = random.Next(2) == 0 ? 0 : 59;
            var rss = $"{Pick(days)}, {day:00} {Pick(months)} {year} {hour:00}:{minute:00}:{second:00} {Pick(rssZones)}";
            var atom = $"{year}-{random.Next(14):00}-{day:00}{(random.Next(4) == 0 ? 't' : 'T')}{hour:00}:{minute:00}:{second:00}{Pick(fractions)}{Pick(atomZones)}";
            foreach (var text in new[] { rss, atom })
            {
                Assert.True(DateParser.ParseAnyForm(text) == DateParser.Parse(text), $"{text}: {DateParser.ParseAnyForm(text)} by every form, {DateParser.Parse(text)} by the shortcut");
                tried++;
            }
        }

        Assert.Equal(40_000, tried);

        T Pick<T>(T[] values) => values[random.Next(values.Length)];
    }

    private static T InCulture<T>(string name, Func<T> action)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try
        {
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
