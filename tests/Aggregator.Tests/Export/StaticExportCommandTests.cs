using Aggregator.Hosting;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Export;

/// <summary>The export --directory command: the static files written once, without a service running.</summary>
public sealed class StaticExportCommandTests
{
    [Fact]
    public async Task Export_WithDirectory_WritesTheFeedsCategoryFeedsAndOpml()
    {
        using var folder = new TempDirectory();
        var config = folder.File("feeds.json");
        File.WriteAllText(config, """{ "feeds": [ { "id": "rfi", "url": "https://www.rfi.fr/fr/rss", "category": "Monde" } ] }""");
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await Commands.RunAsync(["export", "--directory", folder.File("public"), "--config", config, "--data", folder.File("data")], output, errors);

        Assert.True(exit == Commands.Ok, errors.ToString());
        Assert.All(
            ["feed.atom", "feed.rss", "feed.json", "c/monde.atom", "c/monde.rss", "c/monde.json", "feeds.opml", "index.html"],
            name => Assert.True(File.Exists(Path.Combine(folder.File("public"), name)), name));
        Assert.Contains("8 files written", output.ToString(), StringComparison.Ordinal);
    }
}
