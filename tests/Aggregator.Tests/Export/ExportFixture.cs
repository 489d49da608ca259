using System.Collections.Concurrent;
using System.Text;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Aggregator.Tests.Export;

/// <summary>
/// A real pipeline whose store was filled the way production fills it: the four fixture feeds served over HTTP
/// on 127.0.0.1 and refreshed one by one. Shared read-only by a test class, or started per test to be changed.
/// </summary>
public sealed class ExportFixture : IAsyncLifetime
{
    /// <summary>Feed id and fixture file of each outlet; every one holds French titles.</summary>
    internal static readonly (string Id, string File)[] Sources =
    [
        ("agence", "rss2-french.xml"),
        ("atom", "atom-xmlbase.xml"),
        ("rdf", "rss1-rdf.xml"),
        ("sans", "no-guid-no-link.xml"),
    ];

    /// <summary>Every title the fixtures hold, as a reader should show it.</summary>
    internal static readonly string[] Titles =
    [
        "La Chine et la France signent un accord & un mémorandum",
        "Séisme dans le Sichuan",
        "Dépêche sans date",
        "Le sommet de Rabat",
        "Texte brut <pas une balise>",
        "Élections au Sénégal",
        "Avec lien seulement",
        "Ni lien ni guid",
    ];

    private readonly string? dataPath;
    private readonly bool refresh;
    private readonly ConcurrentDictionary<string, byte[]> bodies = new();
    private FixtureServer? server;
    private Pipeline? pipeline;

    public ExportFixture()
        : this(null, refresh: true)
    {
    }

    private ExportFixture(string? dataPath, bool refresh)
    {
        this.dataPath = dataPath;
        this.refresh = refresh;
    }

    internal FixtureServer Server => server ?? throw new InvalidOperationException("Not started.");

    internal Pipeline Pipeline => pipeline ?? throw new InvalidOperationException("Not started.");

    internal IReadOnlyList<FeedConfig> Feeds => Pipeline.Config.Current.Feeds;

    /// <summary>Starts a fixture a test owns; over <paramref name="dataPath"/> to reopen an earlier store.</summary>
    internal static async Task<ExportFixture> StartAsync(string? dataPath = null, bool refresh = true)
    {
        var fixture = new ExportFixture(dataPath, refresh);
        await fixture.InitializeAsync();
        return fixture;
    }

    public async ValueTask InitializeAsync()
    {
        foreach (var (_, file) in Sources)
        {
            bodies[file] = TestData.Bytes("Feeds/" + file);
        }

        server = await FixtureServer.StartAsync(app => app.MapGet("/feeds/{file}", (string file) =>
            bodies.TryGetValue(file, out var body) ? TestData.Serve(body, "application/xml; charset=utf-8") : Results.NotFound()));
        pipeline = new Pipeline(dataPath, [.. Sources.Select(s => Pipeline.Feed(s.Id, server.Url("feeds/" + s.File)))]);
        if (refresh)
        {
            foreach (var (id, _) in Sources)
            {
                await RefreshAsync(id);
            }
        }
    }

    /// <summary>Changes what the server answers for a fixture file, as an outlet publishing a new dispatch.</summary>
    internal void Publish(string file, string xml) => bodies[file] = Encoding.UTF8.GetBytes(xml);

    internal async Task<RefreshOutcome> RefreshAsync(string feedId)
    {
        var outcome = await Pipeline.RefreshAsync(Feeds.Single(f => f.Id == feedId));
        Assert.True(outcome.Kind != RefreshKind.Failed, $"refresh of {feedId} failed: {outcome.Reason}");
        return outcome;
    }

    internal string Render(ExportFormat format) => Encoding.UTF8.GetString(Pipeline.Exporter.Render(format));

    /// <summary>Variants beside the whole feed: one category (« Monde », one story) and the second page of three (an archive page).</summary>
    internal static readonly string[] Variants = ["category", "archive"];

    internal static int CountOf(string variant) => variant == "category" ? 1 : 3;

    internal byte[] RenderVariant(ExportFormat format, string variant) => Pipeline.Exporter.Render(format, variant switch
    {
        "category" => FeedQuery.All with { Category = "monde" },
        "archive" => FeedQuery.All with { Limit = 3, Page = SecondPageAnchor() },
        _ => FeedQuery.All,
    });

    /// <summary>Where the first page of three sends a reader for older stories: read from its link, as a reader would.</summary>
    private PageAnchor SecondPageAnchor()
    {
        var first = XDocument.Parse(Encoding.UTF8.GetString(Pipeline.Exporter.Render(ExportFormat.Atom, FeedQuery.All with { Limit = 3 }))).Root!;
        var next = (string)first.Elements(XName.Get("link", "http://www.w3.org/2005/Atom")).Single(l => (string?)l.Attribute("rel") == "next").Attribute("href")!;
        var before = QueryHelpers.ParseQuery(new Uri(next).Query)["before"].ToString();
        Assert.True(PageAnchor.TryParse(true, before, out var anchor), next);
        return anchor!;
    }

    /// <summary>Writes a fresh rendering to a file for an outside reader; the caller owns the folder.</summary>
    internal string RenderToFile(ExportFormat format, TempDirectory folder)
    {
        var path = folder.File(FeedFormats.FileName(format));
        File.WriteAllBytes(path, Pipeline.Exporter.Render(format));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        pipeline?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
