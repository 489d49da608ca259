using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Parsing;

/// <summary>One spelling per article URL: lower-case scheme and host, no fragment, no tracking parameters.</summary>
internal static partial class LinkCanonicalizer
{
    // Query parameters that say how a reader arrived, never which article. A trailing '*' matches a prefix.
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "utm_*", "at_*", "ns_*", "pk_*", "mtm_*", "hsa_*",
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "li_fat_id",
        "xtor", "xtref", "xts", "_ga", "_gl", "igshid", "ocid", "cmpid", "echobox", "__twitter_impression",
        "wt.mc_id", "wt.tsrc", "sr_share", "s_cid", "icid", "ito", "smid", "oly_enc_id", "oly_anon_id", "vero_id",
    };

    private static readonly string[] TrackingPrefixes =
        [.. TrackingParameters.Where(name => name.EndsWith('*')).Select(name => name.TrimEnd('*'))];

    public static string Canonicalize(Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!link.IsAbsoluteUri)
        {
            var hash = link.OriginalString.IndexOf('#', StringComparison.Ordinal);
            return hash < 0 ? link.OriginalString : link.OriginalString[..hash];
        }

        // Article links are web links; other schemes have no host or query conventions to rely on.
        if (link.Scheme != Uri.UriSchemeHttp && link.Scheme != Uri.UriSchemeHttps)
        {
            return link.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);
        }

        var builder = new StringBuilder(link.Scheme.ToLowerInvariant()).Append("://");
        if (link.UserInfo.Length > 0)
        {
            builder.Append(link.UserInfo).Append('@');
        }

        // Punycode, so that the Unicode and the ASCII spelling of one host agree.
        builder.Append(link.HostNameType == UriHostNameType.IPv6 ? link.Host : link.IdnHost.ToLowerInvariant());
        if (!link.IsDefaultPort)
        {
            builder.Append(':').Append(link.Port);
        }

        builder.Append(UpperCaseEscapes(link.AbsolutePath));
        var kept = link.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(parameter => !IsTracking(parameter))
            .Select(UpperCaseEscapes)
            .ToList();
        if (kept.Count > 0)
        {
            builder.Append('?').AppendJoin('&', kept);
        }

        return builder.ToString();
    }

    private static bool IsTracking(string parameter)
    {
        var equals = parameter.IndexOf('=', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
        return TrackingParameters.Contains(name)
            || TrackingPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }

    // RFC 3986 6.2.2.1: "%2f" and "%2F" are the same octet; Uri keeps whichever case it was given.
    private static string UpperCaseEscapes(string text) =>
        PercentEscape().Replace(text, match => match.Value.ToUpperInvariant());

    [GeneratedRegex("%[0-9a-fA-F]{2}")]
    private static partial Regex PercentEscape();
}
