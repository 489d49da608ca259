using System.Globalization;
using System.Security;
using System.Text;

namespace Aggregator.Hosting;

/// <summary>
/// Deterministic French wire feeds for benchmarks: RSS 2.0, ~3 KB bodies with the page furniture real outlets send
/// (update stamps, photo credits, share bars, « Lire aussi » lists). The same seed, feed and generation give the same bytes.
/// </summary>
internal static class SyntheticFeeds
{
    /// <summary>Items a generation replaces: 10% of a 50-item feed, the steady state of a busy outlet.</summary>
    public static int ChangedPerGeneration(int itemsPerFeed) => Math.Max(1, itemsPerFeed / 10);

    private static readonly string[] Cities = ["PÉKIN", "ALGER", "RABAT", "DAKAR", "ABIDJAN", "TUNIS", "SHANGHAI", "CASABLANCA", "BAMAKO", "NIAMEY", "YAOUNDÉ", "KINSHASA"];
    private static readonly string[] Agencies = ["Xinhua", "APS", "MAP", "APA", "AIP", "TAP"];
    private static readonly string[] Months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
    private static readonly string[] Subjects = ["Le ministre des Affaires étrangères", "La Banque centrale", "Le gouvernement", "Le président de l'Assemblée nationale", "L'Office national des statistiques", "Une délégation d'hommes d'affaires", "Le Premier ministre", "La société nationale d'électricité", "Le porte-parole du ministère", "Le comité d'organisation", "La chambre de commerce", "Le directeur général des douanes"];
    private static readonly string[] Verbs = ["a annoncé", "a présenté", "a signé", "a inauguré", "a examiné", "a salué", "a réaffirmé", "a dévoilé", "a lancé", "a approuvé"];
    private static readonly string[] Objects = ["un accord de coopération économique", "un plan de développement des énergies renouvelables", "la construction d'une nouvelle ligne ferroviaire", "un programme de formation des jeunes", "le budget de l'exercice à venir", "un projet d'irrigation agricole", "une réforme du système de santé", "la création d'une zone économique spéciale", "un partenariat dans le secteur numérique", "un mémorandum d'entente sur la pêche"];
    private static readonly string[] Places = ["dans la capitale", "à l'issue d'une réunion", "lors d'une conférence de presse", "en marge du forum régional", "devant les députés", "au siège de l'organisation", "lors d'une visite de travail", "dans un communiqué"];
    private static readonly string[] Clauses = ["selon des sources officielles", "a-t-on appris de source sûre", "d'après les chiffres publiés mardi", "précise le communiqué", "indique-t-on de même source", "a déclaré un responsable", "rapporte l'agence"];
    private static readonly string[] Headlines = ["La Chine lance un nouveau satellite météorologique", "Hausse des exportations au troisième trimestre", "Ouverture du salon international de l'agriculture", "Les pluies perturbent le trafic routier", "Un nouveau record pour la production de céréales", "Signature d'un accord sur le transport aérien", "Le tourisme reprend dans les régions du sud", "Inauguration d'un hôpital universitaire"];

    /// <summary>One feed's RSS document at a generation: the newest <paramref name="itemsPerFeed"/> items, newest first.</summary>
    public static byte[] Render(int seed, int feed, int generation, int itemsPerFeed, DateTime anchor)
    {
        var first = generation * ChangedPerGeneration(itemsPerFeed);
        var xml = new StringBuilder(itemsPerFeed * 4500);
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>")
            .Append(CultureInfo.InvariantCulture, $"<title>Agence synthétique {feed}</title><link>https://agence{feed}.example/</link>")
            .Append("<description>Dépêches en français</description><language>fr</language>");
        for (var k = first + itemsPerFeed - 1; k >= first; k--)
        {
            var random = RandomFor(seed, feed, k);
            var published = anchor.AddHours(-24).AddMinutes(k * 7.0 + (feed % 60));
            xml.Append(CultureInfo.InvariantCulture, $"<item><title>{SecurityElement.Escape(Title(random))}</title>")
                .Append(CultureInfo.InvariantCulture, $"<link>https://agence{feed}.example/{published:yyyyMMdd}/depeche-{k}.htm</link>")
                .Append(CultureInfo.InvariantCulture, $"<guid isPermaLink=\"false\">agence{feed}-{k}</guid>")
                .Append(CultureInfo.InvariantCulture, $"<pubDate>{published.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000</pubDate>")
                .Append("<category>Monde</category><description>")
                .Append(SecurityElement.Escape(Body(random, feed, k, published)))
                .Append("</description></item>");
        }

        xml.Append("</channel></rss>");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }

    /// <summary>A ~3 KB body of one item: dateline, paragraphs of wire prose, and the furniture the cleaner removes.</summary>
    public static string Body(Random random, int feed, int item, DateTime published)
    {
        var agency = Agencies[feed % Agencies.Length];
        var html = new StringBuilder(3500)
            .Append(CultureInfo.InvariantCulture, $"<div class=\"info\">Dernière mise à jour à {published:HH}h{published:mm} le {published:dd/MM}</div>")
            .Append("<div class=\"share\">Partager sur <a href=\"https://www.facebook.com/sharer.php\">Facebook</a> <a href=\"https://twitter.com/share\">Twitter</a></div>")
            .Append(CultureInfo.InvariantCulture, $"<p align=\"center\"><img src=\"/photos/{feed}/{item}.jpg\" alt=\"\"></p><p align=\"center\">({agency}/Li Wei)</p>")
            .Append(CultureInfo.InvariantCulture, $"<p>{Pick(random, Cities)}, {published.Day} {Months[published.Month - 1]} ({agency}) -- ");
        while (html.Length < 2600)
        {
            html.Append(Sentence(random)).Append(' ');
            if (random.Next(3) == 0)
            {
                html.Append("</p><p>");
            }
        }

        html.Append(CultureInfo.InvariantCulture, $"« Nous devons {Word(random)} ensemble », a déclaré {Pick(random, Subjects).ToLowerInvariant()}.</p>")
            .Append("<div class=\"ad\"><p>Publicité</p><script>var ad = 1;</script></div><p>Lire aussi :</p><ul>");
        for (var i = 0; i < 3; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/{item - i - 1}.htm\">{Pick(random, Headlines)}</a></li>");
        }

        return html.Append("</ul><img src=\"http://feeds.feedburner.com/~r/french/~4/abc\" height=\"1\" width=\"1\">").ToString();
    }

    /// <summary>The random source of one item: a pure function of seed, feed and item (Random with a seed is stable).</summary>
    public static Random RandomFor(int seed, int feed, int item) => new(unchecked((seed * 1_000_003) ^ (feed * 92_821) ^ (item * 7_919)));

    private static string Title(Random random) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Pick(random, Cities)} : {Pick(random, Verbs)} {Word(random)} {Pick(random, Links)} {Word(random)} {Word(random)} ({random.Next(2, 900)} millions)");

    private static readonly string[] Syllables = [
        "ba", "cé", "di", "fo", "gu", "la", "mè", "ni", "po", "ré", "sa", "té", "vi", "zo", "cha", "lou", "mon", "pré", "tra", "vèr", "é", "in", "an", "or",
        "ê", "qui", "gne", "eau", "bri", "cou", "dé", "fa", "gra", "jo", "ka", "lé", "mu", "no", "pi", "ro", "su", "ti", "va", "yé", "ç", "ble", "cre", "dro",
        "fleu", "glo", "ja", "pla", "que", "sté", "tou", "vou", "zè", "ai", "oi", "eu", "au", "ou",
    ];
    private static readonly string[] Links = ["de", "la", "le", "des", "et", "du", "pour", "avec", "dans", "sur", "à", "en"];

    /// <summary>Wire prose of invented words around French function words: two items share no more than two real dispatches do.</summary>
    private static string Sentence(Random random)
    {
        var text = new StringBuilder(200).Append(random.Next(4) == 0 ? Pick(random, Subjects) : "Le " + Word(random));
        var words = random.Next(10, 20);
        for (var i = 0; i < words; i++)
        {
            text.Append(' ').Append(i % 4 == 1 ? Pick(random, Links) : Word(random));
        }

        if (random.Next(3) == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {Pick(random, Clauses)}, le {random.Next(1, 29)} {Pick(random, Months)}");
        }

        return text.Append('.').ToString();
    }

    private static string Word(Random random)
    {
        var syllables = random.Next(3, 6);
        var word = new StringBuilder(12);
        for (var i = 0; i < syllables; i++)
        {
            word.Append(Pick(random, Syllables));
        }

        return word.ToString();
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];
}
