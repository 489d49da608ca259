using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Aggregator.Configuration;
using Aggregator.Fetching;
using Aggregator.Storage;

namespace Aggregator.Scheduling;

/// <summary>Whether to fetch a feed now and from which URL, or why not.</summary>
internal sealed record FetchPlan(Uri? Url, string? SkipReason)
{
    public static FetchPlan Skip(string reason) => new(null, reason);
}

/// <summary>
/// When a feed may be asked again, kept as data on its <see cref="FeedState"/>: backoff after failures,
/// the server's Retry-After, 410 Gone, permanent moves and the feed's own update hints. Pure: the clock
/// and the jitter come from the caller.
/// </summary>
internal sealed class FetchPolicy(Random jitter)
{
    /// <summary>A backoff is shortened by up to this share, at random, so failing feeds do not retry in step.</summary>
    public const double MaxJitter = 0.2;

    /// <summary>
    /// Fetch or skip. A manual fetch ignores backoff but never asks a gone feed. An edited entry lifts
    /// Gone and backoff; a wait ending within a tenth of the interval counts as over, so a wait that
    /// lands on the trigger's beat is not pushed one beat further.
    /// </summary>
    public static FetchPlan Plan(FeedConfig feed, FeedState state, DateTime now, bool manual)
    {
        var edited = state.Entry is not null && state.Entry != Fingerprint(feed);
        if (state.Gone && !edited)
        {
            return FetchPlan.Skip("gone (HTTP 410): not polled until its entry in feeds.json changes");
        }

        if (!manual && !edited && state.NotBefore is { } notBefore && now < notBefore - (feed.Interval / 10))
        {
            return FetchPlan.Skip(string.Create(CultureInfo.InvariantCulture, $"{state.NotBeforeReason}: not before {notBefore:u}"));
        }

        return new FetchPlan(MovedUrl(feed, state) ?? feed.Url, null);
    }

    /// <summary>Where the feed moved for good, as long as feeds.json still names the URL that moved.</summary>
    public static Uri? MovedUrl(FeedConfig feed, FeedState state) =>
        state.MovedTo is not null && state.MovedFrom == feed.Url.AbsoluteUri && Uri.TryCreate(state.MovedTo, UriKind.Absolute, out var moved)
            ? moved
            : null;

    /// <summary>
    /// Updates the feed's scheduling data after an attempt started at <paramref name="started"/>.
    /// Expects <see cref="FeedState.ConsecutiveFailures"/> to count this attempt already.
    /// </summary>
    public void Record(FeedConfig feed, FeedState state, FetchResult? result, bool succeeded, DateTime started, FetchingSettings settings)
    {
        state.Entry = Fingerprint(feed);
        if (state.MovedFrom != feed.Url.AbsoluteUri)
        {
            state.MovedTo = null;
            state.MovedFrom = null;
        }

        if (succeeded && result?.MovedTo is { } moved)
        {
            state.MovedTo = moved.AbsoluteUri;
            state.MovedFrom = feed.Url.AbsoluteUri;
        }

        state.Gone = result is FetchResult.Failed { StatusCode: 410 };
        (state.NotBefore, state.NotBeforeReason) = state.Gone ? (null, null)
            : succeeded ? AfterSuccess(feed, state, started, settings)
            : AfterFailure(feed, state, result as FetchResult.Failed, started, settings);
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row: the interval, doubled each time, capped.</summary>
    public static TimeSpan Backoff(TimeSpan interval, int failures, TimeSpan cap)
    {
        var doublings = Math.Clamp(failures - 1, 0, 40);
        var ticks = Math.Min(cap.Ticks, interval.Ticks * Math.Pow(2, doublings));
        return TimeSpan.FromTicks((long)ticks);
    }

    private static (DateTime?, string?) AfterSuccess(FeedConfig feed, FeedState state, DateTime started, FetchingSettings settings)
    {
        var hint = state.HintMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : TimeSpan.Zero;
        hint = hint < settings.MaxBackoff ? hint : settings.MaxBackoff;
        return hint > feed.Interval
            ? (started + hint, $"the feed asks to be polled every {state.HintMinutes} min")
            : (null, null);
    }

    private (DateTime?, string?) AfterFailure(FeedConfig feed, FeedState state, FetchResult.Failed? failed, DateTime started, FetchingSettings settings)
    {
        var failures = Math.Max(1, state.ConsecutiveFailures);
        var backoff = Backoff(feed.Interval, failures, settings.MaxBackoff);
        var notBefore = started + (backoff * (1 - (MaxJitter * jitter.NextDouble())));
        var reason = $"backoff after {failures} failure(s) in a row";
        if (failed?.RetryAt is { } retryAt)
        {
            // Honoured up to maxBackoff: a server asking for a month of silence does not get it.
            var asked = retryAt.UtcDateTime < started + settings.MaxBackoff ? retryAt.UtcDateTime : started + settings.MaxBackoff;
            if (asked > notBefore)
            {
                (notBefore, reason) = (asked, $"the server asked to retry after {retryAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} (HTTP {failed.StatusCode})");
            }
        }

        return (notBefore, reason);
    }

    /// <summary>A short hash of everything the admin wrote for this feed: any edit changes it.</summary>
    public static string Fingerprint(FeedConfig feed)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(feed);
        return Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 12));
    }
}
