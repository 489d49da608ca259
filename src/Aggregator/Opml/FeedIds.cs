using System.Globalization;
using System.Text;

namespace Aggregator.Opml;

/// <summary>Derives feed ids from titles: lowercase ASCII letters, digits and hyphens, as feeds.json requires.</summary>
internal static class FeedIds
{
    public const int MaxLength = 40;

    /// <summary>"Le Monde – À la une" becomes "le-monde-a-la-une"; a title with no letter or digit gives "feed".</summary>
    public static string Slugify(string title)
    {
        var slug = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            var ascii = lower switch
            {
                'œ' => "oe",
                'æ' => "ae",
                'ß' => "ss",
                _ when char.IsAsciiLetterOrDigit(lower) => lower.ToString(),
                _ => "-",
            };
            if (ascii == "-" && (slug.Length == 0 || slug[^1] == '-'))
            {
                continue;
            }

            slug.Append(ascii);
        }

        var text = slug.ToString();
        text = text.Length > MaxLength ? text[..MaxLength] : text;
        text = text.Trim('-');
        return text.Length == 0 ? "feed" : text;
    }

    /// <summary>The slug, or the slug with -2, -3... when another feed already has it; the id returned is then taken.</summary>
    public static string Unique(string title, ISet<string> taken)
    {
        var slug = Slugify(title);
        var id = slug;
        for (var n = 2; !taken.Add(id); n++)
        {
            id = string.Create(CultureInfo.InvariantCulture, $"{slug}-{n}");
        }

        return id;
    }
}
