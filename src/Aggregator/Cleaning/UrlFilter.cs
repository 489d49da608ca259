using System.Buffers;
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

            if (HostEnd(url) is > 0 and var hostEnd && IsPlainPath(url.AsSpan(hostEnd)))
            {
                return url;
            }

            return Uri.TryCreate(url, UriKind.Absolute, out var absolute) && IsHttp(absolute) ? absolute.AbsoluteUri : null;
        }

        if (baseUri is null || !baseUri.IsAbsoluteUri || !IsHttp(baseUri))
        {
            return url;
        }

        if (url[0] == '/' && IsPlainPath(url) && PlainOrigin(baseUri) is { } origin)
        {
            return origin + url;
        }

        return Uri.TryCreate(baseUri, url, out var resolved) && IsHttp(resolved) ? resolved.AbsoluteUri : null;
    }

    // Most links are already in the form Uri would give them back in; building a Uri for each costs more than
    // the rest of reading the element. Only a form that parsing provably leaves unchanged skips it: a lower-case
    // http(s) scheme, a lower-case DNS name, and a path made only of characters that are never escaped,
    // unescaped or resolved (no dot segment, no percent sign, no fragment).
    private static readonly SearchValues<char> PlainPathChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~/?=&+,;:");

    [ThreadStatic]
    private static (Uri Base, string? Origin) _lastOrigin;

    /// <summary>Where the host of a canonical « http(s)://name/ » URL ends (at the path's slash), or -1.</summary>
    private static int HostEnd(string url)
    {
        var start = url.StartsWith("https://", StringComparison.Ordinal) ? 8
            : url.StartsWith("http://", StringComparison.Ordinal) ? 7
            : -1;
        if (start < 0)
        {
            return -1;
        }

        var end = url.IndexOf('/', start);
        return end > start && end - start <= 200 && IsPlainHost(url.AsSpan(start, end - start)) ? end : -1;
    }

    /// <summary>A lower-case DNS name whose last label starts with a letter, so it cannot be read as an IP address.</summary>
    private static bool IsPlainHost(ReadOnlySpan<char> host)
    {
        var labelStart = 0;
        for (var i = 0; i <= host.Length; i++)
        {
            if (i < host.Length && host[i] != '.')
            {
                var c = host[i];
                if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                {
                    return false;
                }

                continue;
            }

            var label = host[labelStart..i];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            if (i == host.Length && !char.IsAsciiLetterLower(label[0]))
            {
                return false;
            }

            labelStart = i + 1;
        }

        return true;
    }

    private static bool IsPlainPath(ReadOnlySpan<char> path) =>
        path.Length > 0 && path[0] == '/' && !path.ContainsAnyExcept(PlainPathChars)
        && !path.Contains("/.", StringComparison.Ordinal) && !path.Contains("./", StringComparison.Ordinal)
        && !path.Contains("//", StringComparison.Ordinal) && path[^1] != '.';

    /// <summary>« scheme://host[:port] » of a base whose origin Uri would write back as is; null otherwise.</summary>
    private static string? PlainOrigin(Uri baseUri)
    {
        var last = _lastOrigin;
        if (ReferenceEquals(last.Base, baseUri))
        {
            return last.Origin;
        }

        string? origin = null;
        if (baseUri.UserInfo.Length == 0 && Ascii.IsValid(baseUri.Host) && IsPlainHost(baseUri.Host))
        {
            origin = baseUri.GetLeftPart(UriPartial.Authority);
        }

        _lastOrigin = (baseUri, origin);
        return origin;
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
        string host;
        string hostAndPath;
        if (HostEnd(url) is > 0 and var hostEnd && IsPlainPath(url.AsSpan(hostEnd)))
        {
            // Already canonical: host and path can be read off the text.
            var start = url.IndexOf("//", StringComparison.Ordinal) + 2;
            var query = url.IndexOf('?', hostEnd);
            host = url[start..hostEnd];
            hostAndPath = url[start..(query < 0 ? url.Length : query)];
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            host = uri.Host;
            hostAndPath = host + uri.AbsolutePath;
        }
        else
        {
            return false;
        }

        if (HtmlVocabulary.TrackerHosts.Contains(host))
        {
            return true;
        }

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
