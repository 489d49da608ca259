using Aggregator.Configuration;

namespace Aggregator.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private static ConfigLoadResult LoadFixture(string name) =>
        ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Configuration", name));

    private static void AssertProblem(ConfigLoadResult result, string path, int line, string fragment)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.Contains(result.Problems, p => p.Path == path && p.Line == line && p.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Load_MinimalFile_AppliesRecordDefaults()
    {
        var result = LoadFixture("valid-minimal.json");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        var config = result.Config!;
        Assert.Equal(new FeedDefaults(), config.Defaults);
        Assert.Equal(new OutputSettings(), config.Output);
        var feed = Assert.Single(config.Feeds);
        Assert.Equal("rfi", feed.Id);
        Assert.Equal("rfi", feed.Name);
        Assert.Equal(new Uri("https://www.rfi.fr/fr/rss"), feed.Url);
        Assert.Equal(TimeSpan.FromMinutes(15), feed.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), feed.Timeout);
        Assert.Equal("fr", feed.Language);
        Assert.True(feed.Enabled);
        Assert.Null(feed.Clean);
    }

    [Fact]
    public void Load_FeedWithoutOwnValues_InheritsFileDefaults()
    {
        var result = LoadFixture("valid-full.json");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        var feed = result.Config!.Feeds[0];
        Assert.Equal("france24", feed.Name);
        Assert.Equal("monde", feed.Category);
        Assert.Equal(TimeSpan.FromMinutes(20), feed.Interval);
        Assert.Equal(TimeSpan.FromSeconds(45), feed.Timeout);
        Assert.Equal(2048, feed.MaxBytes);
        Assert.Equal("fr", feed.Language);
    }

    [Fact]
    public void Load_FeedWithEveryKey_KeepsItsOwnValues()
    {
        var result = LoadFixture("valid-full.json");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        var feed = result.Config!.Feeds[1];
        Assert.Equal("Radio-Canada", feed.Name);
        Assert.Equal("fr-CA", feed.Language);
        Assert.Equal(TimeSpan.FromMinutes(90), feed.Interval);
        Assert.Equal(TimeSpan.FromSeconds(90), feed.Timeout);
        Assert.Equal(4096, feed.MaxBytes);
        Assert.False(feed.Enabled);
        Assert.True(feed.FullText);
        Assert.True(feed.AllowPrivate);
        Assert.Equal(3, feed.Priority);
        Assert.Equal("//div[@class='article']", feed.Clean!.Content);
        Assert.Equal(["//aside", "//p[contains(., 'Lire aussi')]"], feed.Clean.Remove);
        Assert.Equal(["france24"], result.Config.EnabledFeeds.Select(f => f.Id));
    }

    [Fact]
    public void Load_FetchingSection_IsRead()
    {
        var fetching = LoadFixture("valid-full.json").Config!.Fetching;

        Assert.Equal(new FetchingSettings { MaxConcurrent = 4, MaxPerHost = 1, MaxBackoff = TimeSpan.FromHours(2) }, fetching);
    }

    [Fact]
    public void Load_WithoutFetchingSection_UsesPoliteDefaults()
    {
        var fetching = LoadFixture("valid-minimal.json").Config!.Fetching;

        Assert.Equal(8, fetching.MaxConcurrent);
        Assert.Equal(2, fetching.MaxPerHost);
        Assert.Equal(TimeSpan.FromHours(6), fetching.MaxBackoff);
    }

    [Fact]
    public void Load_BadFetchingLimits_AreReportedWithTheirPaths()
    {
        var result = LoadFixture("bad-fetching.json");

        Assert.Equal(4, result.Problems.Count);
        AssertProblem(result, "$.fetching.maxConcurrent", 4, "between 1 and 64");
        AssertProblem(result, "$.fetching.maxPerHost", 5, "between 1 and 16");
        AssertProblem(result, "$.fetching.maxBackoff", 6, "between 1 minute and 7 days");
        AssertProblem(result, "$.fetching.retries", 7, "unknown key");
    }

    [Fact]
    public void Load_MaxPerHostAboveMaxConcurrent_IsReported()
    {
        var result = LoadFixture("bad-fetching-order.json");

        AssertProblem(result, "$.fetching.maxPerHost", 3, "above maxConcurrent 2");
    }

    [Fact]
    public void Load_OutputSection_IsRead()
    {
        var output = LoadFixture("valid-full.json").Config!.Output;

        Assert.Equal("Dépêches francophones", output.Title);
        Assert.Equal(new Uri("https://news.example.org/"), output.Link);
        Assert.Equal(50, output.MaxItems);
    }

    [Fact]
    public void Load_MissingFile_ReportsOneProblemAtRoot()
    {
        var result = ConfigLoader.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "feeds.json"));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$", problem.Path);
        Assert.Equal(0, problem.Line);
        Assert.Contains("not found", problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Config);
    }

    [Fact]
    public void Load_SyntaxError_ReportsItsLine()
    {
        var result = LoadFixture("bad-syntax.json");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(5, problem.Line);
        Assert.Equal("$.feeds", problem.Path);
        Assert.StartsWith("invalid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyText_IsInvalidJson()
    {
        var result = ConfigLoader.Parse("");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(1, problem.Line);
        Assert.StartsWith("invalid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RootNotAnObject_IsReported()
    {
        var result = ConfigLoader.Parse("[]");

        AssertProblem(result, "$", 1, "expected an object");
    }

    [Fact]
    public void Load_UnknownKeys_AreReportedAtEveryLevel()
    {
        var result = LoadFixture("unknown-keys.json");

        Assert.Equal(5, result.Problems.Count);
        AssertProblem(result, "$.version", 3, "unknown key 'version'");
        AssertProblem(result, "$.defaults.intervall", 4, "unknown key 'intervall'");
        AssertProblem(result, "$.output.Title", 5, "did you mean 'title'");
        AssertProblem(result, "$.feeds[0].tags", 10, "unknown key 'tags'");
        AssertProblem(result, "$.feeds[0].clean.keep", 11, "unknown key 'keep'");
    }

    [Fact]
    public void Load_WrongTypes_AreReported()
    {
        var result = LoadFixture("wrong-types.json");

        Assert.Equal(6, result.Problems.Count);
        AssertProblem(result, "$.defaults.maxBytes", 3, "expected a whole number");
        AssertProblem(result, "$.output.maxItems", 4, "whole number");
        AssertProblem(result, "$.feeds[0].id", 7, "expected a string");
        AssertProblem(result, "$.feeds[0].enabled", 9, "expected true or false");
        AssertProblem(result, "$.feeds[0].priority", 10, "expected a whole number");
        AssertProblem(result, "$.feeds[0].clean.remove", 11, "expected an array");
    }

    [Fact]
    public void Load_MissingRequiredFeedKeys_AreReportedOnTheFeedsLine()
    {
        var result = LoadFixture("missing-required.json");

        Assert.Equal(2, result.Problems.Count);
        AssertProblem(result, "$.feeds[0].id", 4, "missing required key 'id'");
        AssertProblem(result, "$.feeds[1].url", 5, "missing required key 'url'");
    }

    [Fact]
    public void Load_MissingFeedsArray_IsReported()
    {
        var result = LoadFixture("missing-feeds.json");

        AssertProblem(result, "$.feeds", 2, "missing required key 'feeds'");
    }

    [Fact]
    public void Load_DuplicateId_ReportsTheSecondOne()
    {
        var result = LoadFixture("duplicate-ids.json");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("$.feeds[2].id", 6), (problem.Path, problem.Line));
        Assert.Contains("$.feeds[0]", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateKey_IsReported()
    {
        var result = LoadFixture("duplicate-keys.json");

        AssertProblem(result, "$.feeds[0].url", 4, "duplicate key 'url'");
    }

    [Fact]
    public void Load_BadUrlsAndIds_AreReported()
    {
        var result = LoadFixture("bad-urls.json");

        Assert.Equal(4, result.Problems.Count);
        AssertProblem(result, "$.feeds[0].url", 4, "not an absolute http or https URL");
        AssertProblem(result, "$.feeds[1].url", 5, "not an absolute http or https URL");
        AssertProblem(result, "$.feeds[2].url", 6, "not an absolute http or https URL");
        AssertProblem(result, "$.feeds[3].id", 7, "lowercase letters");
    }

    [Fact]
    public void Load_BadDurations_AreReported()
    {
        var result = LoadFixture("bad-durations.json");

        Assert.Equal(4, result.Problems.Count);
        AssertProblem(result, "$.defaults.interval", 3, "not a positive duration");
        AssertProblem(result, "$.feeds[0].interval", 8, "1 minute minimum");
        AssertProblem(result, "$.feeds[0].timeout", 9, "10 minute maximum");
        AssertProblem(result, "$.feeds[1].timeout", 11, "not a positive duration");
    }

    [Fact]
    public void Load_BadXPath_IsReportedWithItsPath()
    {
        var result = LoadFixture("bad-xpath.json");

        Assert.Equal(2, result.Problems.Count);
        AssertProblem(result, "$.feeds[0].clean.content", 8, "invalid XPath");
        AssertProblem(result, "$.feeds[0].clean.remove[1]", 9, "invalid XPath");
    }

    [Fact]
    public void Load_BadOutput_IsReported()
    {
        var result = LoadFixture("bad-output.json");

        Assert.Equal(2, result.Problems.Count);
        AssertProblem(result, "$.output.maxItems", 4, "between 1 and 1000");
        AssertProblem(result, "$.output.link", 5, "not an absolute http or https URL");
    }

    [Fact]
    public void Load_ManyProblems_AreAllReported()
    {
        var result = LoadFixture("many-problems.json");

        Assert.Equal(
            [
                ("$.defaults.timeout", 3),
                ("$.output.maxItems", 4),
                ("$.feeds[0].colour", 6),
                ("$.feeds[1].id", 7),
                ("$.feeds[1].url", 7),
                ("$.feeds[2].id", 8),
                ("$.feeds[2].interval", 8),
            ],
            result.Problems.OrderBy(p => p.Line).ThenBy(p => p.Path, StringComparer.Ordinal).Select(p => (p.Path, p.Line)));
    }

    [Fact]
    public void Parse_QuotedKeyWithSpaces_UsesBracketPath()
    {
        var result = ConfigLoader.Parse("{\n  \"feeds\": [],\n  \"odd key\": 1\n}");

        AssertProblem(result, "$['odd key']", 3, "unknown key");
    }

    [Fact]
    public void Parse_OutputTimeZone_IsKept()
    {
        var result = ConfigLoader.Parse("""
            { "output": { "timeZone": "America/Montreal" }, "feeds": [{ "id": "rfi", "url": "https://rfi.example/rss" }] }
            """);

        Assert.Equal("America/Montreal", result.Config?.Output.TimeZone);
    }

    [Fact]
    public void Parse_UnknownTimeZone_IsReported()
    {
        var result = ConfigLoader.Parse("{\n  \"output\": { \"timeZone\": \"Europe/Atlantis\" },\n  \"feeds\": []\n}");

        AssertProblem(result, "$.output.timeZone", 2, "not a time zone id");
    }

    [Fact]
    public void Parse_NoRetention_KeepsItems30Days()
    {
        var result = ConfigLoader.Parse("""{ "feeds": [] }""");

        Assert.Equal(TimeSpan.FromDays(30), result.Config!.Retention);
    }

    [Fact]
    public void Parse_Retention_IsRead()
    {
        var result = ConfigLoader.Parse("""{ "retention": "90d", "feeds": [] }""");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(TimeSpan.FromDays(90), result.Config!.Retention);
    }

    [Fact]
    public void Parse_RetentionBelowOneDay_IsReported()
    {
        var result = ConfigLoader.Parse("""
            {
              "retention": "12h",
              "feeds": []
            }
            """);

        AssertProblem(result, "$.retention", 2, "below the 1 day minimum");
    }
}
