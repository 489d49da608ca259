using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Export;

/// <summary>
/// A store of twenty distinct dispatches from two outlets with categories and languages of their own, filled
/// through the real pipeline from generated RSS served on 127.0.0.1, and the feed endpoints hosted over it.
/// Afrique (« apa », fr): 12 items, every other one tagged Économie. Amérique du Nord (« qc », fr-CA): 8 items.
/// qc's first item has the same published time as apa's first, so ties are exercised.
/// </summary>
internal sealed class WireFixture : IAsyncDisposable
{
    public const int StoryCount = 20;
    private static readonly DateTime Start = new(2015, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Vocabulary =
    [
        "accord", "agence", "armée", "banque", "barrage", "bourse", "budget", "café", "cacao", "camion", "capitale", "chantier",
        "coton", "cour", "crue", "dette", "douane", "école", "élection", "énergie", "engrais", "export", "festival", "forêt",
        "frontière", "gaz", "grève", "hôpital", "impôt", "juge", "lac", "loi", "maïs", "marché", "mine", "ministre", "mosquée",
        "navire", "or", "pêche", "pétrole", "pluie", "pont", "port", "prix", "récolte", "route", "santé", "sénat", "sécheresse",
        "sommet", "stade", "tarif", "taxe", "train", "université", "uranium", "usine", "vaccin", "village", "zinc", "zone",
    ];

    private readonly ConcurrentDictionary<string, List<XElement>> items = new();
    private FixtureServer? server;
    private Pipeline? pipeline;
    private WebApplication? app;

    public Pipeline Pipeline => pipeline!;

    public HttpClient Client { get; private set; } = null!;

    public static async Task<WireFixture> StartAsync(Func<OutputSettings, OutputSettings>? output = null)
    {
        var fixture = new WireFixture();
        await fixture.InitializeAsync(output ?? (o => o));
        return fixture;
    }

    public Task<RefreshOutcome> PublishAsync(string feedId, string title, DateTime published, params string[] categories)
    {
        var list = items[feedId];
        lock (list)
        {
            list.Add(Item(feedId, title, published, Text(1000 + (feedId.Length * 100) + list.Count), categories));
        }

        return RefreshAsync(feedId);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        headers?.Invoke(request);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task InitializeAsync(Func<OutputSettings, OutputSettings> output)
    {
        items["apa"] = [.. Enumerable.Range(0, 12).Select(i => Item("apa", $"Afrique, dépêche {i}", Start.AddHours(2 * i), Text(i), i % 2 == 0 ? ["Économie"] : ["Politique"]))];
        items["qc"] = [.. Enumerable.Range(0, 8).Select(i => Item("qc", i == 3 ? "Séisme au Québec" : $"Québec, dépêche {i}", Start.AddHours((2 * i) + (i == 0 ? 0 : 1)), Text(100 + i), []))];
        server = await FixtureServer.StartAsync(routes => routes.MapGet("/feeds/{id}", (string id) =>
            items.TryGetValue(id, out var list) ? TestData.Serve(Rss(id, list)) : Results.NotFound()));
        pipeline = new Pipeline(
            Pipeline.Feed("apa", server.Url("feeds/apa")) with { Name = "Agence Afrique", Category = "Afrique" },
            Pipeline.Feed("qc", server.Url("feeds/qc")) with { Name = "Presse du Québec", Category = "Amérique du Nord", Language = "fr-CA" });
        pipeline.Config.Current = pipeline.Config.Current with { Output = output(pipeline.Config.Current.Output) };
        await RefreshAsync("apa");
        await RefreshAsync("qc");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(pipeline.Config);
        builder.Services.AddSingleton(pipeline.Store);
        builder.Services.AddSingleton(pipeline.Exporter);
        app = builder.Build();
        app.MapFeeds();
        await app.StartAsync();
        var address = app.Urls.First();
        Client = new HttpClient { BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/") };
    }

    private async Task<RefreshOutcome> RefreshAsync(string feedId)
    {
        var outcome = await Pipeline.RefreshAsync(Pipeline.Config.Current.Feeds.Single(f => f.Id == feedId));
        Assert.True(outcome.Kind != RefreshKind.Failed, $"refresh of {feedId} failed: {outcome.Reason}");
        return outcome;
    }

    /// <summary>Forty words drawn from the vocabulary by a seeded generator: no two dispatches look alike to deduplication.</summary>
    private static string Text(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            text.Append(Vocabulary[random.Next(Vocabulary.Length)]).Append(i % 10 == 9 ? ". " : " ");
        }

        return text.ToString();
    }

    private static XElement Item(string feedId, string title, DateTime published, string text, IEnumerable<string> categories) => new(
        "item",
        new XElement("title", title),
        new XElement("link", $"https://{feedId}.example/{Uri.EscapeDataString(title)}.html"),
        new XElement("guid", $"{feedId}-{title}"),
        new XElement("pubDate", published.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture)),
        categories.Select(c => new XElement("category", c)),
        new XElement("description", $"<p>{text}</p>"));

    private static byte[] Rss(string id, List<XElement> list)
    {
        lock (list)
        {
            var rss = new XElement("rss", new XAttribute("version", "2.0"), new XElement("channel", new XElement("title", id), new XElement("link", $"https://{id}.example/"), list));
            return Encoding.UTF8.GetBytes(rss.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        pipeline?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
