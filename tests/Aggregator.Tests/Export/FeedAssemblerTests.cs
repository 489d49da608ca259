using System.Text;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;

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

    [Fact]
    public void Search_MatchingOnlyPastTheStoriesOneWalkExamines_LinksOnwardUntilItIsFound()
    {
        // One matching story under more than a walk examines: the first page is empty but links onward, and
        // following the links (as a reader does) reaches it without any page reading the whole store.
        using var data = new TempDirectory();
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var start = new DateTime(2015, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        store.Upsert("agence", [.. Enumerable.Range(0, FeedAssembler.MaxExamined + 300).Select(i => new ItemCandidate(
            $"id:{i}", $"https://agence.example/{i}.html", i == 0 ? "Éclipse totale au-dessus de Dakar" : $"Dépêche {i}", null, [], [],
            $"<p>Texte {i}.</p>", $"Texte {i}.", start.AddMinutes(i), null))]);
        var feed = new FeedConfig { Id = "agence", Url = new Uri("https://agence.example/rss"), Name = "Agence" };
        var config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), [feed]), "feeds.json");
        var exporter = new FeedExporter(store, config, TimeProvider.System);
        var query = FeedQuery.All with { Words = ["eclipse"] };

        var pages = new List<XElement>();
        for (PageAnchor? page = null; pages.Count < 10;)
        {
            var atom = XDocument.Parse(Encoding.UTF8.GetString(exporter.Render(ExportFormat.Atom, query with { Page = page }))).Root!;
            pages.Add(atom);
            var next = atom.Elements(AtomNs + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "next");
            if (next is null)
            {
                break;
            }

            Assert.True(PageAnchor.TryParse(true, QueryHelpers.ParseQuery(new Uri((string)next.Attribute("href")!).Query)["before"].ToString(), out page));
        }

        Assert.Empty(pages[0].Elements(AtomNs + "entry"));
        Assert.Equal(2, pages.Count);
        Assert.Equal("Éclipse totale au-dessus de Dakar", pages[^1].Elements(AtomNs + "entry").Single().Element(AtomNs + "title")!.Value);
    }

    private static readonly XNamespace AtomNs = "http://www.w3.org/2005/Atom";
}
