using System.Net;
using System.Text;

namespace Aggregator.Cleaning;

/// <summary>Decides which URLs may stay, and makes the relative ones absolute.</summary>
internal static class UrlFilter
{
    /// <summary>
    /// The safe, absolute form of a raw attribute value, or null. Browsers ignore tabs, newlines and
    /// surrounding controls inside a URL (so <c>java&amp;#x09;script:</c> runs), hence the stripping
    /// happens before the scheme is read.
    /// </summary>
    public static string? Filter(string? raw, Uri? baseUri)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        var url = Strip(raw.Contains('&') ? WebUtility.HtmlDecode(raw) : raw);
        if (url.Length == 0)
        {
            return null;
        }

        var scheme = SchemeOf(url);
        if (scheme is not null)
        {
            if (!HtmlVocabulary.AllowedSchemes.Contains(scheme))
            {
                return null;
            }

            if (scheme == "mailto")
            {
                return url;
            }

            return Uri.TryCreate(url, UriKind.Absolute, out var absolute) && IsHttp(absolute) ? absolute.AbsoluteUri : null;
        }

        if (baseUri is null || !baseUri.IsAbsoluteUri || !IsHttp(baseUri))
        {
            return url;
        }

        return Uri.TryCreate(baseUri, url, out var resolved) && IsHttp(resolved) ? resolved.AbsoluteUri : null;
    }

    /// <summary>The first usable candidate of a srcset list.</summary>
    public static string? FirstSrcsetCandidate(string? srcset, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(srcset))
        {
            return null;
        }

        foreach (var candidate in WebUtility.HtmlDecode(srcset).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var space = candidate.IndexOfAny([' ', '\t', '\n']);
            var url = Filter(space < 0 ? candidate : candidate[..space], baseUri);
            if (url is not null)
            {
                return url;
            }
        }

        return null;
    }

    public static bool IsTracker(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.Host;
        if (HtmlVocabulary.TrackerHosts.Contains(host))
        {
            return true;
        }

        var hostAndPath = host + uri.AbsolutePath;
        foreach (var prefix in HtmlVocabulary.TrackerPrefixes)
        {
            if (hostAndPath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHttp(Uri uri) => uri.Scheme is "http" or "https";

    private static string Strip(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c <= ' ' || (c >= '\u007f' && c <= '\u009f') || c is '\u200b' or '\u200c' or '\u200d' or '\ufeff' or '\u00ad')
            {
                // Inner spaces are legitimate in sloppy file names; encode them rather than drop them.
                if (c == ' ' && builder.Length > 0)
                {
                    builder.Append("%20");
                }

                continue;
            }

            builder.Append(c);
        }

        var length = builder.Length;
        while (length >= 3 && builder[length - 3] == '%' && builder[length - 2] == '2' && builder[length - 1] == '0')
        {
            length -= 3;
        }

        builder.Length = length;
        return builder.ToString();
    }

    private static string? SchemeOf(string url)
    {
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c == ':')
            {
                return i == 0 ? "" : url[..i].ToLowerInvariant();
            }

            var schemeChar = char.IsAsciiLetter(c) || (i > 0 && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'));
            if (!schemeChar)
            {
                return null;
            }
        }

        return null;
    }
}
