using System.Globalization;
using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>
/// Fills a store with synthetic French dispatches for benchmarks and demos (the <c>seed</c> command): the same
/// stories on every run, spread over the configured outlets, a third of them carried by two or three outlets.
/// </summary>
internal sealed class StoreSeeder(ItemStore store, AggregatorConfig config, TimeProvider time)
{
    private static readonly string[] Places = ["PARIS", "ALGER", "DAKAR", "RABAT", "PÉKIN", "ABIDJAN", "TUNIS", "MONTRÉAL", "GENÈVE", "BAMAKO"];

    private static readonly string[] Subjects =
    [
        "le gouvernement annonce un plan d’investissement dans les énergies renouvelables",
        "les ministres des Affaires étrangères se réunissent pour préparer le sommet régional",
        "la banque centrale maintient son taux directeur malgré la hausse des prix",
        "un accord de coopération est signé dans le domaine de l’aéronautique civile",
        "les pluies diluviennes provoquent des inondations dans plusieurs quartiers",
        "le festival international du film ouvre ses portes avec trente pays invités",
        "la production céréalière progresse nettement par rapport à l’an dernier",
        "une délégation parlementaire est reçue par le président de la République",
        "la sélection nationale se qualifie pour la phase finale de la compétition",
        "le port autonome inaugure un nouveau terminal à conteneurs",
    ];

    private static readonly string[] Sentences =
    [
        "Selon un communiqué publié dans la matinée, les discussions se poursuivront la semaine prochaine.",
        "Les autorités ont salué « une étape importante » pour le développement du pays.",
        "Plusieurs observateurs estiment toutefois que les effets ne se feront sentir qu’à moyen terme.",
        "Le texte prévoit un suivi régulier par un comité mixte réunissant les deux parties.",
        "Cette annonce intervient dans un contexte marqué par de fortes attentes de la population.",
        "Les détails du financement seront précisés lors d’une conférence de presse.",
    ];

    /// <summary>Stores <paramref name="count"/> stories, newest a few minutes ago; returns how many items were new.</summary>
    public int Seed(int count)
    {
        var feeds = config.Feeds;
        if (feeds.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var batches = feeds.ToDictionary(f => f.Id, _ => new List<ItemCandidate>());
        for (var story = 0; story < count; story++)
        {
            var published = now - TimeSpan.FromMinutes(5 + (story * 9));
            var outlets = Math.Min(feeds.Count, story % 3 == 0 ? 1 + (story % 2) + 1 : 1);
            for (var copy = 0; copy < outlets; copy++)
            {
                var feed = feeds[(story + copy) % feeds.Count];
                batches[feed.Id].Add(Candidate(story, feed, published + TimeSpan.FromMinutes(copy * 17)));
            }
        }

        var matcher = new SeedMatcher();
        return feeds.Sum(feed => store.Upsert(feed.Id, batches[feed.Id], matcher).New);
    }

    private static ItemCandidate Candidate(int story, FeedConfig feed, DateTime published)
    {
        var place = Places[story % Places.Length];
        var subject = Subjects[(story / Places.Length) % Subjects.Length];
        var title = string.Create(CultureInfo.InvariantCulture, $"{Capitalized(place)} : {subject} ({story + 1})");
        var lead = string.Create(CultureInfo.InvariantCulture, $"{place}, {published.Day} {Month(published)} ({feed.Name}) - {char.ToUpperInvariant(subject[0])}{subject[1..]}.");
        var body = new[] { lead }.Concat(Enumerable.Range(0, 4).Select(i => Sentences[(story + i) % Sentences.Length])).ToList();
        var html = string.Concat(body.Select(p => $"<p>{System.Net.WebUtility.HtmlEncode(p)}</p>"));
        var link = new Uri(feed.Url, string.Create(CultureInfo.InvariantCulture, $"/depeche/{story + 1}"));
        return new ItemCandidate($"id:seed-{story}", link.AbsoluteUri, title, null, [], [], html, string.Join(" ", body), published, null);
    }

    private static string Capitalized(string place) => place[0] + place[1..].ToLowerInvariant();

    private static string Month(DateTime date) =>
        new[] { "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre" }[date.Month - 1];

    /// <summary>The copies of one seeded story share its number: that is the whole matching.</summary>
    private sealed class SeedMatcher : IStoryMatcher
    {
        private readonly Dictionary<string, string> storyOf = [];

        public string? Match(StoredItem item) => storyOf.GetValueOrDefault(item.Identity);

        public void Remember(StoredItem item) => storyOf.TryAdd(item.Identity, item.StoryId);
    }
}
