using Aggregator.Export;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Export;

/// <summary>The entries the assembler remembers between renders never hide a change of the store.</summary>
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
}
