using System.Text.Json;
using System.Text.RegularExpressions;
using Aggregator.Configuration;

namespace Aggregator.Tests.Configuration;

/// <summary>The feeds.json and feeds.schema.json shipped at the repository root.</summary>
public sealed class RepositoryFeedsFileTests
{
    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aggregator.sln")))
            {
                return Path.Combine(dir.FullName, name);
            }
        }

        throw new InvalidOperationException("Aggregator.sln not found above " + AppContext.BaseDirectory);
    }

    private static JsonElement Schema()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFile("feeds.schema.json")));
        return document.RootElement.Clone();
    }

    private static JsonElement At(JsonElement schema, string location) =>
        location.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(schema, (node, key) => node.GetProperty(key));

    [Fact]
    public void Load_RepositoryFeedsJson_IsValid()
    {
        var result = ConfigLoader.Load(RepositoryFile("feeds.json"));

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.True(result.Config!.Feeds.Count >= 8);
        Assert.Equal("Dépêches francophones", result.Config.Output.Title);
        Assert.All(result.Config.Feeds, f => Assert.NotNull(f.Category));
    }

    [Fact]
    public void Schema_IsDraft202012()
    {
        var schema = Schema();

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
    }

    [Theory]
    [InlineData("", "Top")]
    [InlineData("properties/defaults", "Defaults")]
    [InlineData("properties/output", "Output")]
    [InlineData("properties/deduplication", "Deduplication")]
    [InlineData("properties/fetching", "Fetching")]
    [InlineData("$defs/feed", "Feed")]
    [InlineData("$defs/clean", "Clean")]
    public void Schema_ListsTheKeysTheLoaderAccepts(string location, string level)
    {
        var node = At(Schema(), location);
        var expected = level switch
        {
            "Top" => ConfigKeys.Top,
            "Defaults" => ConfigKeys.Defaults,
            "Output" => ConfigKeys.Output,
            "Deduplication" => ConfigKeys.Deduplication,
            "Fetching" => ConfigKeys.Fetching,
            "Feed" => ConfigKeys.Feed,
            _ => ConfigKeys.Clean,
        };

        var keys = node.GetProperty("properties").EnumerateObject().Select(p => p.Name);

        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.False(node.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Schema_FeedRequiresIdAndUrl()
    {
        var required = At(Schema(), "$defs/feed/required").EnumerateArray().Select(e => e.GetString());

        Assert.Equal(["id", "url"], required);
    }

    [Fact]
    public void Schema_IdPattern_MatchesTheLoaders()
    {
        var pattern = At(Schema(), "$defs/feed/properties/id/pattern").GetString();

        Assert.Equal(FeedValidator.IdPattern().ToString(), pattern);
    }

    [Theory]
    [InlineData("90s")]
    [InlineData("15m")]
    [InlineData("2h")]
    [InlineData("1d")]
    [InlineData("1h30m")]
    [InlineData("01:30:00")]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("15M")]
    [InlineData("1.5h")]
    [InlineData("30m1h")]
    [InlineData("01:60:00")]
    public void Schema_DurationPattern_AgreesWithTheLoader(string text)
    {
        var pattern = At(Schema(), "$defs/duration/pattern").GetString()!;

        Assert.Equal(ConfigLoader.TryParseDuration(text, out _), Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)));
    }
}
