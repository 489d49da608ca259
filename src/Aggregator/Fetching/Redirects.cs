using System.Net;

namespace Aggregator.Fetching;

/// <summary>
/// Redirects, followed by hand rather than by the handler so that we know whether each hop was permanent:
/// a feed that moved for good is remembered, one that moved for now is not.
/// </summary>
internal static class Redirects
{
    public const int Max = 5;

    /// <summary>A hop to follow, or why the answer cannot be followed; null when the answer is not a redirect.</summary>
    public static RedirectStep? Next(HttpResponseMessage response, Uri current)
    {
        var status = (int)response.StatusCode;
        if (status is not (300 or 301 or 302 or 303 or 307 or 308))
        {
            return null;
        }

        var location = response.Headers.Location;
        if (location is null)
        {
            return new RedirectStep(null, false, $"HTTP {status} without a Location");
        }

        var target = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            return new RedirectStep(null, false, $"HTTP {status} to a {target.Scheme} address refused");
        }

        if (current.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
        {
            return new RedirectStep(null, false, $"HTTP {status} from https down to http refused");
        }

        return new RedirectStep(target, response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect, null);
    }
}

/// <summary>One redirect: where to, whether for good, or why not.</summary>
internal sealed record RedirectStep(Uri? Target, bool Permanent, string? Refused);
