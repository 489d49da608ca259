using System.Globalization;
using System.Net;
using HtmlAgilityPack;

namespace Aggregator.Cleaning;

/// <summary>Keeps the allowed attributes of an element, with URLs made safe and absolute and values decoded.</summary>
internal static class AttributeFilter
{
    public static List<KeyValuePair<string, string>>? Filter(HtmlNode node, string tag, Uri? baseUri)
    {
        List<KeyValuePair<string, string>>? kept = null;
        if (node.HasAttributes)
        {
            // By index: the collection's enumerator is an allocation per element.
            var attributes = node.Attributes;
            for (var i = 0; i < attributes.Count; i++)
            {
                var attribute = attributes[i];
                var name = attribute.Name;
                if (!HtmlVocabulary.AllowedAttributes.Contains(name) || !FitsElement(name, tag) || Has(kept, name))
                {
                    continue;
                }

                var value = FilterValue(name, attribute.Value ?? "", baseUri);
                if (value is not null)
                {
                    (kept ??= []).Add(new(name, value));
                }
            }
        }

        if (tag == "img")
        {
            kept = FixImage(node, kept, baseUri);
        }

        return kept;
    }

    /// <summary>Lazy-loading CMSs hide the real source in data-src or srcset; trackers and pixels lose theirs.</summary>
    private static List<KeyValuePair<string, string>>? FixImage(HtmlNode node, List<KeyValuePair<string, string>>? kept, Uri? baseUri)
    {
        var src = Get(kept, "src");
        if (src is null)
        {
            foreach (var lazy in (string[])["data-src", "data-original", "data-lazy-src", "data-url"])
            {
                src = UrlFilter.Filter(node.Attributes[lazy]?.Value, baseUri);
                if (src is not null)
                {
                    break;
                }
            }

            src ??= UrlFilter.FirstSrcsetCandidate(node.Attributes["srcset"]?.Value, baseUri)
                ?? UrlFilter.FirstSrcsetCandidate(node.Attributes["data-srcset"]?.Value, baseUri);
            if (src is not null)
            {
                (kept ??= []).Insert(0, new("src", src));
            }
        }

        var tiny = Dimension(node.Attributes["width"]?.Value) is <= 1 && Dimension(node.Attributes["height"]?.Value) is <= 1;
        if (src is null || tiny || UrlFilter.IsTracker(src))
        {
            kept?.RemoveAll(pair => pair.Key == "src");
        }

        return kept;
    }

    private static int? Dimension(string? value) =>
        int.TryParse(value?.Trim().TrimEnd('p', 'x', 'P', 'X'), NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) ? pixels : null;

    private static bool FitsElement(string attribute, string tag) => attribute switch
    {
        "href" => tag == "a",
        "src" or "alt" => tag == "img",
        "width" or "height" => tag is "img" or "td" or "th" or "table",
        "colspan" or "rowspan" => tag is "td" or "th",
        "datetime" => tag == "time",
        "cite" => tag is "blockquote" or "q",
        _ => true,
    };

    private static string? FilterValue(string name, string raw, Uri? baseUri)
    {
        if (HtmlVocabulary.UrlAttributes.Contains(name))
        {
            return UrlFilter.Filter(raw, baseUri);
        }

        var value = raw.Contains('&') ? WebUtility.HtmlDecode(raw) : raw;
        switch (name)
        {
            case "width" or "height" or "colspan" or "rowspan":
                value = value.Trim();
                return value.Length is > 0 and <= 5 && value.TrimEnd('%').All(char.IsAsciiDigit) && value.TrimEnd('%').Length > 0 ? value : null;
            default:
                value = TreeBuilder.CollapseSpaces(MojibakeRepair.Repair(value)).Trim();
                if (value.Length > 500)
                {
                    value = value[..500];
                }

                return value.Length == 0 ? null : value;
        }
    }

    private static bool Has(List<KeyValuePair<string, string>>? pairs, string name) => Get(pairs, name) is not null;

    private static string? Get(List<KeyValuePair<string, string>>? pairs, string name)
    {
        if (pairs is null)
        {
            return null;
        }

        foreach (var pair in pairs)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }
}
