using System.Text;
using Aggregator.Configuration;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Scheduling;

/// <summary>
/// An item whose source is the one stored is not cleaned again: the identity index keeps each item's source digest,
/// so a refresh reads only what is new or changed at the source (or what new cleaning rules would change).
/// </summary>
public sealed class UnchangedSourceTests : IAsyncLifetime
{
    private readonly TempDirectory data = new();
    private readonly string[] bodies =
    [
        "<p>PÉKIN, 13 novembre (Xinhua) -- La Chine et la France ont signé un accord sur l'aviation civile.</p><p class=\"pub\">Publicité maison</p>",
        "<p>ALGER, 13 novembre (APS) -- Le gouvernement a présenté le budget de l'exercice à venir.</p>",
        "<p>RABAT, 13 novembre (MAP) -- La chambre de commerce a salué la hausse des exportations.</p><p class=\"pub\">Publicité maison</p>",
    ];

    private FixtureServer server = null!;

    public async ValueTask InitializeAsync() =>
        server = await FixtureServer.StartAsync(app => app.MapGet("/feed.xml", () => Results.Bytes(Encoding.UTF8.GetBytes(Feed()), "application/rss+xml")));

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        data.Dispose();
    }

    private FeedConfig Source(CleanRules? rules = null) => Pipeline.Feed("agence", server.Url("feed.xml")) with { Clean = rules };

    [Fact]
    public async Task Refresh_ItemsWhoseSourceIsUnchanged_AreNotCleanedAgain()
    {
        using var pipeline = new Pipeline(data.Path);
        var first = await pipeline.RefreshAsync(Source());

        var second = await pipeline.RefreshAsync(Source());

        Assert.Equal(3, first.Read);
        Assert.Equal(0, second.Read);
        Assert.Equal(3, second.Unchanged);
        Assert.Equal(3, pipeline.Store.CountItems("agence"));
    }

    [Fact]
    public async Task Refresh_OneItemChangedAtSource_CleansThatItemOnlyAndStoresTheCorrection()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        bodies[1] = bodies[1].Replace("le budget", "le budget rectifié", StringComparison.Ordinal);

        var outcome = await pipeline.RefreshAsync(Source());

        Assert.Equal(1, outcome.Read);
        Assert.Equal(1, outcome.Updated);
        Assert.Contains(pipeline.Store.Latest(10), i => i.BodyText.Contains("budget rectifié", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_SourceChangedOnlyInWhatCleaningRemoves_IsReadOnceAndStaysUnchanged()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        var version = pipeline.Store.Version;
        bodies[0] += "<!-- rendu à 11h38 -->";

        var changed = await pipeline.RefreshAsync(Source());
        var again = await pipeline.RefreshAsync(Source());

        Assert.Equal((1, 0, 3), (changed.Read, changed.Updated, changed.Unchanged));
        Assert.Equal(0, again.Read);
        Assert.Equal(version, pipeline.Store.Version);
    }

    [Fact]
    public async Task Refresh_AfterTheCleanRulesChange_CleansEveryItemAgain()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());

        var outcome = await pipeline.RefreshAsync(Source(new CleanRules(null, ["//p[@class='pub']"])));

        Assert.Equal(3, outcome.Read);
        Assert.Equal(2, outcome.Updated);
        Assert.DoesNotContain(pipeline.Store.Latest(10), i => i.BodyText.Contains("Publicité maison", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_AfterARestart_KnowsTheStoredSources()
    {
        using (var before = new Pipeline(data.Path))
        {
            await before.RefreshAsync(Source());
        }

        using var pipeline = new Pipeline(data.Path);
        var outcome = await pipeline.RefreshAsync(Source());

        Assert.Equal(0, outcome.Read);
        Assert.Equal(3, outcome.Unchanged);
    }

    [Fact]
    public void Upsert_UnreadCandidateTheStoreDoesNotKnow_WritesNothing()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var unread = new ItemCandidate("id:x", null, "Titre", null, [], [], "", "", null, null) { SourceDigest = 42, Unread = true };

        var result = store.Upsert("agence", [unread]);

        Assert.Equal(new UpsertResult(0, 0, 1), result);
        Assert.Equal(0, store.CountItems());
    }

    private string Feed()
    {
        var items = bodies.Select((body, i) => $"""
            <item>
              <title>Dépêche {i}</title>
              <link>https://agence.example/{i}.html</link>
              <guid>agence-{i}</guid>
              <pubDate>Fri, 13 Nov 2015 1{i}:00:00 +0000</pubDate>
              <description><![CDATA[{body}]]></description>
            </item>
            """);
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Agence</title><link>https://agence.example/</link><description>Dépêches</description>
            {string.Concat(items)}
            </channel></rss>
            """;
    }
}
