using System.Text;
using Aggregator.Export;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Export;

/// <summary>
/// The entries the assembler remembers between renders, and the renderings kept with them, never hide a change of
/// the store or of the outlets: a render after a change is the same bytes a fresh exporter writes.
/// </summary>
public sealed class FeedAssemblerTests
{
    [Fact]
    public async Task Render_AfterACorrectionOfARememberedStory_ShowsTheCorrectedText()
    {
        await using var fixture = await ExportFixture.StartAsync();
        Assert.DoesNotContain("le bilan s'alourdit", fixture.Render(ExportFormat.Atom), StringComparison.Ordinal);
        fixture.Publish("rss2-french.xml", TestData.Text("Feeds/rss2-french.xml").Replace("Séisme dans le Sichuan", "Séisme dans le Sichuan : le bilan s'alourdit", StringComparison.Ordinal));

        var outcome = await fixture.RefreshAsync("agence");

        Assert.Equal(1, outcome.Updated);
        Assert.Contains("le bilan s'alourdit", fixture.Render(ExportFormat.Atom), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    [InlineData("json")]
    public async Task Render_AfterACorrection_IsTheSameBytesAsAFreshExporterWrites(string name)
    {
        var format = Format(name);
        await using var fixture = await ExportFixture.StartAsync();
        var pipeline = fixture.Pipeline;
        var before = pipeline.Exporter.Render(format);
        fixture.Publish("rss2-french.xml", TestData.Text("Feeds/rss2-french.xml").Replace("Séisme dans le Sichuan", "Séisme dans le Sichuan : le bilan s'alourdit", StringComparison.Ordinal));
        await fixture.RefreshAsync("agence");

        var kept = pipeline.Exporter.Render(format);
        var fresh = new FeedExporter(pipeline.Store, pipeline.Config, TimeProvider.System).Render(format);

        Assert.NotEqual(before, kept);
        Assert.Equal(Encoding.UTF8.GetString(fresh), Encoding.UTF8.GetString(kept));
    }

    [Theory]
    [InlineData("atom")]
    [InlineData("rss")]
    [InlineData("json")]
    public async Task Render_AfterAnOutletIsRenamed_NamesItAnewInEveryEntry(string name)
    {
        var format = Format(name);
        await using var fixture = await ExportFixture.StartAsync();
        var config = fixture.Pipeline.Config;
        Assert.Contains("AGENCE", fixture.Render(format), StringComparison.Ordinal);
        var renamed = config.Current with { Feeds = [.. config.Current.Feeds.Select(f => f.Id == "agence" ? f with { Name = "Agence renommée" } : f)] };
        config.Accept(renamed, "renamed", DateTimeOffset.UtcNow);

        var text = fixture.Render(format);

        Assert.Contains("Agence renommée", text, StringComparison.Ordinal);
        Assert.DoesNotContain(">AGENCE<", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"AGENCE\"", text, StringComparison.Ordinal);
    }

    private static ExportFormat Format(string name) => FeedFormats.TryParse(name, out var format) ? format : throw new ArgumentException(name);
}
