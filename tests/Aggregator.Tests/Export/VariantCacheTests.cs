using System.Net;
using Aggregator.Export;

namespace Aggregator.Tests.Export;

/// <summary>Each variant (format and normalised query) cached until the store changes, with validators and max-age of its own.</summary>
public sealed class VariantCacheTests : IAsyncLifetime
{
    private WireFixture? fixture;

    private WireFixture Fixture => fixture!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => fixture = await WireFixture.StartAsync(o => o with { MaxAge = TimeSpan.FromMinutes(5) });

    [Fact]
    public async Task Get_TwoVariants_HaveDifferentETags()
    {
        using var all = await Fixture.GetAsync("/feed.atom");
        using var afrique = await Fixture.GetAsync("/feed.atom?category=afrique");

        Assert.NotEqual(all.Headers.ETag, afrique.Headers.ETag);
    }

    [Fact]
    public async Task Get_SameVariantSpeltTwoWays_SharesOneRendering()
    {
        using var first = await Fixture.GetAsync("/feed.atom?limit=3&category=Afrique");
        using var second = await Fixture.GetAsync("/feed.atom?category=afrique&limit=3");

        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Same(Fixture.Pipeline.Exporter.Current(ExportFormat.Atom, FeedQuery.All with { Category = "afrique", Limit = 3 }), Fixture.Pipeline.Exporter.Current(ExportFormat.Atom, FeedQuery.All with { Limit = 3, Category = "afrique" }));
    }

    [Theory]
    [InlineData("/feed.json?category=afrique")]
    [InlineData("/c/afrique.rss")]
    public async Task Get_Variant_CarriesTheConfiguredMaxAge(string path)
    {
        using var response = await Fixture.GetAsync(path);

        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        Assert.True(response.Headers.CacheControl?.Public);
    }

    [Fact]
    public async Task Get_VariantWithItsETag_Returns304()
    {
        using var first = await Fixture.GetAsync("/c/afrique.atom?limit=4");

        using var second = await Fixture.GetAsync("/c/afrique.atom?limit=4", r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Get_VariantWithAnotherVariantsETag_Returns200()
    {
        using var other = await Fixture.GetAsync("/c/afrique.atom");

        using var response = await Fixture.GetAsync("/c/amerique-du-nord.atom", r => r.Headers.IfNoneMatch.Add(other.Headers.ETag!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_VariantWithIfModifiedSince_Returns304()
    {
        using var first = await Fixture.GetAsync("/feed.rss?feed=qc");

        using var second = await Fixture.GetAsync("/feed.rss?feed=qc", r => r.Headers.IfModifiedSince = first.Content.Headers.LastModified);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Get_AfterTheStoreChanges_ServesTheNewStoryUnderANewETag()
    {
        using var before = await Fixture.GetAsync("/feed.atom?category=afrique");
        await Fixture.PublishAsync("apa", "Nouvelle dépêche d'Afrique", new DateTime(2015, 11, 3, 0, 0, 0, DateTimeKind.Utc));

        using var after = await Fixture.GetAsync("/feed.atom?category=afrique", r => r.Headers.IfNoneMatch.Add(before.Headers.ETag!));

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains("Nouvelle dépêche d'Afrique", await after.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_VariantTheChangeDoesNotTouch_KeepsItsETagAndAnswers304()
    {
        using var before = await Fixture.GetAsync("/feed.atom?feed=qc");
        await Fixture.PublishAsync("apa", "Autre dépêche d'Afrique", new DateTime(2015, 11, 3, 0, 0, 0, DateTimeKind.Utc));

        using var after = await Fixture.GetAsync("/feed.atom?feed=qc", r => r.Headers.IfNoneMatch.Add(before.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, after.StatusCode);
    }

    [Fact]
    public void Current_MoreVariantsThanTheCapacity_KeepsTheMostRecentOnes()
    {
        var exporter = Fixture.Pipeline.Exporter;
        for (var limit = 1; limit <= FeedExporter.CacheCapacity + 20; limit++)
        {
            exporter.Current(ExportFormat.Json, FeedQuery.All with { Limit = limit });
        }

        var newest = exporter.Current(ExportFormat.Json, FeedQuery.All with { Limit = FeedExporter.CacheCapacity + 20 });

        Assert.Equal(FeedExporter.CacheCapacity, exporter.CachedVariants);
        Assert.Same(newest, exporter.Current(ExportFormat.Json, FeedQuery.All with { Limit = FeedExporter.CacheCapacity + 20 }));
    }

    public async ValueTask DisposeAsync()
    {
        if (fixture is not null)
        {
            await fixture.DisposeAsync();
        }
    }
}
