using Aggregator.Configuration;
using Aggregator.Fetching;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Scheduling;

public sealed class FetchPolicyTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly FetchingSettings Settings = new();
    private static readonly FeedConfig Feed = Pipeline.Feed("apn", new Uri("https://apn.example/rss.xml")) with { Interval = TimeSpan.FromMinutes(15) };
    private static readonly FetchResult ServerError = new FetchResult.Failed("HTTP 500", 500);

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(4, 120)]
    [InlineData(5, 240)]
    [InlineData(6, 360)]
    [InlineData(7, 360)]
    [InlineData(500, 360)]
    public void Backoff_DoublesPerFailure_UpToTheCap(int failures, int expectedMinutes)
    {
        var backoff = FetchPolicy.Backoff(TimeSpan.FromMinutes(15), failures, TimeSpan.FromHours(6));

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), backoff);
    }

    [Fact]
    public void Record_Failures_WaitWithinTheJitterBoundsOfTheBackoff()
    {
        var policy = new FetchPolicy(new Random(42));
        for (var failures = 1; failures <= 10; failures++)
        {
            for (var run = 0; run < 200; run++)
            {
                var state = new FeedState { Id = Feed.Id, ConsecutiveFailures = failures };

                policy.Record(Feed, state, ServerError, succeeded: false, Now, Settings);

                var backoff = FetchPolicy.Backoff(Feed.Interval, failures, Settings.MaxBackoff);
                Assert.InRange(state.NotBefore!.Value, Now + (backoff * (1 - FetchPolicy.MaxJitter)), Now + backoff);
            }
        }
    }

    [Fact]
    public void Record_Failures_AreJitteredApart()
    {
        var policy = new FetchPolicy(new Random(42));
        var waits = new HashSet<DateTime>();
        for (var run = 0; run < 20; run++)
        {
            var state = new FeedState { Id = Feed.Id, ConsecutiveFailures = 3 };
            policy.Record(Feed, state, ServerError, succeeded: false, Now, Settings);
            waits.Add(state.NotBefore!.Value);
        }

        Assert.True(waits.Count > 15);
    }

    [Fact]
    public void Record_SameSeed_SameWait()
    {
        var first = new FeedState { Id = Feed.Id, ConsecutiveFailures = 4 };
        var second = new FeedState { Id = Feed.Id, ConsecutiveFailures = 4 };

        new FetchPolicy(new Random(3)).Record(Feed, first, ServerError, succeeded: false, Now, Settings);
        new FetchPolicy(new Random(3)).Record(Feed, second, ServerError, succeeded: false, Now, Settings);

        Assert.Equal(first.NotBefore, second.NotBefore);
    }

    [Fact]
    public void Record_SuccessAfterFailures_ClearsTheWait()
    {
        var policy = new FetchPolicy(new Random(1));
        var state = new FeedState { Id = Feed.Id, ConsecutiveFailures = 5 };
        policy.Record(Feed, state, ServerError, succeeded: false, Now, Settings);

        state.ConsecutiveFailures = 0;
        policy.Record(Feed, state, new FetchResult.NotModified(), succeeded: true, Now, Settings);

        Assert.Null(state.NotBefore);
        Assert.Equal(Feed.Url, FetchPolicy.Plan(Feed, state, Now, manual: false).Url);
    }

    [Fact]
    public void Plan_BeforeTheWaitEnds_Skips()
    {
        var state = new FeedState { Id = Feed.Id, Entry = FetchPolicy.Fingerprint(Feed), NotBefore = Now.AddMinutes(30), NotBeforeReason = "backoff" };

        var plan = FetchPolicy.Plan(Feed, state, Now, manual: false);

        Assert.Null(plan.Url);
        Assert.StartsWith("backoff", plan.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WaitEndingWithinATenthOfTheInterval_Fetches()
    {
        // The trigger fires on the interval's beat; a wait computed from a fetch that started a little late must not cost a beat.
        var state = new FeedState { Id = Feed.Id, Entry = FetchPolicy.Fingerprint(Feed), NotBefore = Now.AddSeconds(80) };

        Assert.NotNull(FetchPolicy.Plan(Feed, state, Now, manual: false).Url);
    }

    [Fact]
    public void Plan_ManualFetch_IgnoresTheWait()
    {
        var state = new FeedState { Id = Feed.Id, Entry = FetchPolicy.Fingerprint(Feed), NotBefore = Now.AddHours(3) };

        Assert.Equal(Feed.Url, FetchPolicy.Plan(Feed, state, Now, manual: true).Url);
    }

    [Fact]
    public void Plan_GoneFeed_SkipsEvenAManualFetch()
    {
        var state = new FeedState { Id = Feed.Id };
        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.Failed("HTTP 410 Gone", 410), succeeded: false, Now, Settings);

        var plan = FetchPolicy.Plan(Feed, state, Now.AddDays(30), manual: true);

        Assert.True(state.Gone);
        Assert.Null(plan.Url);
        Assert.Contains("410", plan.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_GoneFeedWhoseEntryWasEdited_Fetches()
    {
        var state = new FeedState { Id = Feed.Id };
        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.Failed("HTTP 410 Gone", 410), succeeded: false, Now, Settings);
        var edited = Feed with { Url = new Uri("https://apn.example/fr/rss.xml") };

        Assert.Equal(edited.Url, FetchPolicy.Plan(edited, state, Now, manual: false).Url);
    }

    [Fact]
    public void Plan_EditedEntry_LiftsTheBackoff()
    {
        var state = new FeedState { Id = Feed.Id, ConsecutiveFailures = 6 };
        new FetchPolicy(new Random(1)).Record(Feed, state, ServerError, succeeded: false, Now, Settings);

        Assert.Null(FetchPolicy.Plan(Feed, state, Now.AddMinutes(20), manual: false).Url);
        Assert.NotNull(FetchPolicy.Plan(Feed with { Timeout = TimeSpan.FromSeconds(20) }, state, Now.AddMinutes(20), manual: false).Url);
    }

    [Fact]
    public void Plan_FeedThatMovedPermanently_IsFetchedAtItsNewAddress()
    {
        var moved = new Uri("https://new.apn.example/rss.xml");
        var state = new FeedState { Id = Feed.Id };
        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.NotModified { MovedTo = moved }, succeeded: true, Now, Settings);

        Assert.Equal(moved.AbsoluteUri, state.MovedTo);
        Assert.Equal(moved, FetchPolicy.Plan(Feed, state, Now, manual: false).Url);
    }

    [Fact]
    public void Plan_MovedFeedWhoseUrlWasEdited_UsesTheNewUrlAndRecordDropsTheMove()
    {
        var policy = new FetchPolicy(new Random(1));
        var state = new FeedState { Id = Feed.Id };
        policy.Record(Feed, state, new FetchResult.NotModified { MovedTo = new Uri("https://new.apn.example/rss.xml") }, succeeded: true, Now, Settings);
        var edited = Feed with { Url = new Uri("https://apn.example/depeches.xml") };

        var plan = FetchPolicy.Plan(edited, state, Now, manual: false);
        policy.Record(edited, state, new FetchResult.NotModified(), succeeded: true, Now, Settings);

        Assert.Equal(edited.Url, plan.Url);
        Assert.Null(state.MovedTo);
        Assert.Null(state.MovedFrom);
    }

    [Fact]
    public void Record_MoveSeenOnAFailedFetch_IsNotRemembered()
    {
        var state = new FeedState { Id = Feed.Id };

        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.Failed("HTTP 500", 500) { MovedTo = new Uri("https://new.apn.example/") }, succeeded: false, Now, Settings);

        Assert.Null(state.MovedTo);
    }

    [Theory]
    [InlineData(60, 60)]
    [InlineData(5, null)]
    [InlineData(15, null)]
    [InlineData(24 * 60, 6 * 60)]
    public void Record_FeedHint_LengthensTheIntervalButNeverShortensIt(int hintMinutes, int? expectedWaitMinutes)
    {
        var state = new FeedState { Id = Feed.Id, HintMinutes = hintMinutes };

        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.NotModified(), succeeded: true, Now, Settings);

        Assert.Equal(expectedWaitMinutes is { } minutes ? Now.AddMinutes(minutes) : null, state.NotBefore);
    }

    [Fact]
    public void Record_FeedHintCappedBelowTheInterval_LeavesTheInterval()
    {
        var state = new FeedState { Id = Feed.Id, HintMinutes = 60 };

        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.NotModified(), succeeded: true, Now, Settings with { MaxBackoff = TimeSpan.FromMinutes(10) });

        Assert.Null(state.NotBefore);
    }

    [Fact]
    public void Record_RetryAfterLongerThanTheBackoff_IsHonoured()
    {
        var state = new FeedState { Id = Feed.Id, ConsecutiveFailures = 1 };
        var retryAt = new DateTimeOffset(Now.AddHours(2));

        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.Failed("HTTP 429", 429) { RetryAt = retryAt }, succeeded: false, Now, Settings);

        Assert.Equal(retryAt.UtcDateTime, state.NotBefore);
        Assert.Contains("retry after", state.NotBeforeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_RetryAfterShorterThanTheBackoff_KeepsTheBackoff()
    {
        var state = new FeedState { Id = Feed.Id, ConsecutiveFailures = 4 };

        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.Failed("HTTP 503", 503) { RetryAt = new DateTimeOffset(Now.AddSeconds(30)) }, succeeded: false, Now, Settings);

        Assert.True(state.NotBefore >= Now.AddMinutes(120 * (1 - FetchPolicy.MaxJitter)));
    }

    [Fact]
    public void Record_RetryAfterBeyondMaxBackoff_IsCapped()
    {
        var state = new FeedState { Id = Feed.Id, ConsecutiveFailures = 1 };

        new FetchPolicy(new Random(1)).Record(Feed, state, new FetchResult.Failed("HTTP 429", 429) { RetryAt = new DateTimeOffset(Now.AddDays(30)) }, succeeded: false, Now, Settings);

        Assert.Equal(Now + Settings.MaxBackoff, state.NotBefore);
    }

    [Fact]
    public void Fingerprint_AnyEdit_ChangesIt()
    {
        var original = FetchPolicy.Fingerprint(Feed);

        Assert.Equal(original, FetchPolicy.Fingerprint(Feed with { }));
        Assert.NotEqual(original, FetchPolicy.Fingerprint(Feed with { Url = new Uri("https://apn.example/autre.xml") }));
        Assert.NotEqual(original, FetchPolicy.Fingerprint(Feed with { Name = "Agence de presse" }));
        Assert.NotEqual(original, FetchPolicy.Fingerprint(Feed with { Clean = new CleanRules(null, ["//aside"]) }));
    }
}
