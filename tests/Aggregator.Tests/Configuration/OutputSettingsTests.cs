using Aggregator.Configuration;

namespace Aggregator.Tests.Configuration;

/// <summary>The output settings of the feeds endpoints: maxAge, hub and directory, read and checked like the rest.</summary>
public sealed class OutputSettingsTests
{
    private static ConfigLoadResult Parse(string output) =>
        ConfigLoader.Parse($$"""{ "output": {{output}}, "feeds": [ { "id": "rfi", "url": "https://www.rfi.fr/fr/rss" } ] }""");

    [Fact]
    public void Parse_NoOutputSettings_ServesSixtySecondsWithoutHubOrDirectory()
    {
        var output = Parse("{}").Config!.Output;

        Assert.Equal(TimeSpan.FromSeconds(60), output.MaxAge);
        Assert.Null(output.Hub);
        Assert.Null(output.Directory);
    }

    [Fact]
    public void Parse_AllOutputSettings_AreRead()
    {
        var result = Parse("""{ "maxAge": "5m", "hub": "https://hub.example/", "directory": "public" }""");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(TimeSpan.FromMinutes(5), result.Config!.Output.MaxAge);
        Assert.Equal(new Uri("https://hub.example/"), result.Config.Output.Hub);
        Assert.Equal("public", result.Config.Output.Directory);
    }

    [Theory]
    [InlineData("""{ "maxAge": "2d" }""", "$.output.maxAge", "1 day")]
    [InlineData("""{ "maxAge": 60 }""", "$.output.maxAge", "expected a string")]
    [InlineData("""{ "hub": "ftp://hub.example/" }""", "$.output.hub", "http or https")]
    [InlineData("""{ "directory": "" }""", "$.output.directory", "empty")]
    public void Parse_BadOutputSetting_IsReportedAtItsPath(string output, string path, string fragment)
    {
        var result = Parse(output);

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Path == path && p.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }
}
