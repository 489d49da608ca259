using Aggregator.Configuration;
using Aggregator.Hosting;
using Aggregator.Opml;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Opml;

/// <summary>import-opml on fixture files: what is added, what is skipped, what the feeds file looks like after.</summary>
public sealed class OpmlImporterTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly StringWriter output = new();
    private readonly StringWriter errors = new();

    public void Dispose()
    {
        output.Dispose();
        errors.Dispose();
        folder.Dispose();
    }

    private string FeedsFile()
    {
        var path = folder.File("feeds.json");
        File.Copy(TestData.PathOf("Opml/existing-feeds.json"), path);
        return path;
    }

    private Task<int> ImportAsync(string opml, string feedsFile) =>
        OpmlImporter.RunAsync(TestData.PathOf("Opml/" + opml), feedsFile, output, errors);

    private static IReadOnlyList<FeedConfig> FeedsIn(string path)
    {
        var loaded = ConfigLoader.Load(path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        return loaded.Config!.Feeds;
    }

    [Fact]
    public async Task Import_NestedCategories_AppendsEachFeedWithItsFolder()
    {
        var path = FeedsFile();

        var code = await ImportAsync("nested-categories.opml", path);

        Assert.Equal(Commands.Ok, code);
        Assert.Equal(
            [("rfi", "monde"), ("aps", "afrique"), ("jeune-afrique", "afrique"), ("tsa-tout-sur-l-algerie", "Maghreb"), ("oeuvres-economie", null)],
            FeedsIn(path).Select(f => (f.Id, f.Category)));
    }

    [Fact]
    public async Task Import_ExistingFile_KeepsEveryByteBeforeAndAfterTheNewEntries()
    {
        var path = FeedsFile();
        var before = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        var insertAt = before.IndexOf("\"interval\": \"30m\" }", StringComparison.Ordinal) + "\"interval\": \"30m\" }".Length;

        await ImportAsync("nested-categories.opml", path);

        var after = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.StartsWith(before[..insertAt], after, StringComparison.Ordinal);
        Assert.EndsWith(before[insertAt..], after, StringComparison.Ordinal);
        Assert.Contains(
            "\n    { \"id\": \"jeune-afrique\", \"name\": \"Jeune Afrique\", \"url\": \"https://www.jeuneafrique.com/feed/\", \"category\": \"afrique\" },\n",
            after,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Duplicates_AreSkippedAndIdsStayUnique()
    {
        var path = FeedsFile();

        var code = await ImportAsync("duplicates.opml", path);

        Assert.Equal(Commands.Ok, code);
        var added = FeedsIn(path).Skip(2).ToList();
        Assert.Equal(["le-temps", "le-temps-2"], added.Select(f => f.Id));
        Assert.All(added, f => Assert.Equal("monde", f.Category));
        Assert.Contains("skipped https://www.rfi.fr/fr/rss: already in the feeds file as 'rfi'", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 feed(s) added", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("3 skipped", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SameFileTwice_AddsNothingTheSecondTime()
    {
        var path = FeedsFile();
        await ImportAsync("nested-categories.opml", path);
        var once = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);

        var code = await ImportAsync("nested-categories.opml", path);

        Assert.Equal(Commands.Ok, code);
        Assert.Equal(once, await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        Assert.Contains("0 feed(s) added", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("malformed.opml", "not well-formed XML")]
    [InlineData("not-opml.xml", "not <opml>")]
    public async Task Import_InvalidOpml_ExitsWithInvalidInputAndLeavesTheFile(string opml, string message)
    {
        var path = FeedsFile();
        var before = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        var code = await ImportAsync(opml, path);

        Assert.Equal(Commands.InvalidInput, code);
        Assert.Contains(message, errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Import_IntoInvalidFeedsFile_RefusesAndListsItsProblems()
    {
        var path = folder.File("feeds.json");
        File.Copy(TestData.PathOf("Configuration/duplicate-ids.json"), path);
        var before = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        var code = await ImportAsync("nested-categories.opml", path);

        Assert.Equal(Commands.InvalidInput, code);
        Assert.Contains("duplicate id", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Import_NoFeedsFileYet_CreatesAValidOne()
    {
        var path = folder.File("new-feeds.json");

        var code = await ImportAsync("nested-categories.opml", path);

        Assert.Equal(Commands.Ok, code);
        Assert.Equal(3, FeedsIn(path).Count);
    }

    [Fact]
    public async Task ImportOpml_RealProcess_ImportsAndReportsUsageErrors()
    {
        FeedsFile();
        File.Copy(TestData.PathOf("Opml/nested-categories.opml"), folder.File("subs.opml"));

        var imported = await AggregatorProcess.RunAsync(folder.Path, "import-opml", "subs.opml");
        var missing = await AggregatorProcess.RunAsync(folder.Path, "import-opml");
        var validated = await AggregatorProcess.RunAsync(folder.Path, "validate");

        Assert.Equal((Commands.Ok, ""), (imported.ExitCode, imported.Errors));
        Assert.Contains("added   jeune-afrique  https://www.jeuneafrique.com/feed/  (afrique)", imported.Output, StringComparison.Ordinal);
        Assert.Equal(Commands.InvalidInput, missing.ExitCode);
        Assert.Contains("import-opml needs the OPML file", missing.Errors, StringComparison.Ordinal);
        Assert.Equal(Commands.Ok, validated.ExitCode);
        Assert.Contains("5 feeds", validated.Output, StringComparison.Ordinal);
    }
}
