using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Export;

/// <summary>
/// A real store holding the stories of TestData/Page/stories.xml, with fixed dates and outlets grouped as the
/// file says (the deduplicator's time window would make fixed dates drift out of reach), and feed states
/// for the health line: three sources up to date, one failing.
/// </summary>
internal sealed class HtmlPageFixture : IDisposable
{
    public static readonly FeedConfig[] Feeds =
    [
        Feed("xinhua", "Xinhua – Chine", "chine"),
        Feed("aps", "APS – Algérie Presse Service", "afrique"),
        Feed("map", "MAP Express", "afrique"),
        Feed("rfi", "RFI", "monde"),
        Feed("local", "Le Petit Local", null),
    ];

    private readonly TempDirectory data = new();

    public HtmlPageFixture(string timeZone = "Europe/Paris")
    {
        var output = new OutputSettings { Title = "Dépêches francophones", TimeZone = timeZone };
        Config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), output, Feeds), "feeds.json");
        Store = ItemStore.Open(data.Path, TimeProvider.System);
        Fill(Store);
        Exporter = new FeedExporter(Store, Config, TimeProvider.System);
        Page = new HtmlPageCache(Exporter, Store, Config, TimeProvider.System);
    }

    public ActiveConfig Config { get; }

    public ItemStore Store { get; }

    public FeedExporter Exporter { get; }

    public HtmlPageCache Page { get; }

    public string Render() => HtmlPage.Render(Exporter.Document(), Config.Current, SourceHealth.Of(Config.Current, Store.AllStates()));

    /// <summary>Serves the page and the feeds on 127.0.0.1 as ServeHost maps them.</summary>
    public async Task<WebApplication> HostAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(Config);
        builder.Services.AddSingleton(Store);
        builder.Services.AddSingleton(Exporter);
        builder.Services.AddSingleton(Page);
        var app = builder.Build();
        app.MapFeeds();
        app.MapHtmlPage();
        await app.StartAsync();
        return app;
    }

    public void Dispose()
    {
        Store.Dispose();
        data.Dispose();
    }

    private static FeedConfig Feed(string id, string name, string? category) =>
        new() { Id = id, Name = name, Category = category, Url = new Uri($"https://{id}.example/rss") };

    private static void Fill(ItemStore store)
    {
        var stories = XDocument.Parse(TestData.Text("Page/stories.xml")).Root!.Elements("story").ToList();
        var matcher = new GroupMatcher();
        foreach (var (story, index) in stories.Select((s, i) => (s, i)))
        {
            foreach (var item in story.Elements("item"))
            {
                var identity = $"id:story-{index}-{item.Attribute("feed")!.Value}";
                var published = DateTime.Parse(item.Attribute("published")!.Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
                var text = item.Value.Trim();
                var candidate = new ItemCandidate(identity, item.Attribute("link")?.Value, item.Attribute("title")!.Value, null, [], [], $"<p>{WebUtility.HtmlEncode(text)}</p>", text, published, null);
                store.Upsert(item.Attribute("feed")!.Value, [candidate], matcher);
            }
        }

        foreach (var feed in Feeds)
        {
            var state = store.GetState(feed.Id);
            state.LastAttempt = new DateTime(2026, 11, 26, 16, 0, 0, DateTimeKind.Utc);
            if (feed.Id == "map")
            {
                state.ConsecutiveFailures = 2;
                state.LastError = "HTTP 503";
            }
            else
            {
                state.LastSuccess = state.LastAttempt;
            }

            store.SaveState(state);
        }
    }

    /// <summary>Groups items as the fixture file does: by the story number in their identity.</summary>
    private sealed class GroupMatcher : IStoryMatcher
    {
        private readonly Dictionary<string, string> storyOfGroup = [];

        public string? Match(StoredItem item) => storyOfGroup.GetValueOrDefault(Group(item));

        public void Remember(StoredItem item) => storyOfGroup.TryAdd(Group(item), item.StoryId);

        private static string Group(StoredItem item) => item.Identity.Split('-')[1];
    }
}
