using System.Globalization;
using Aggregator.Deduplication;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks;

/// <summary>Cost of fingerprinting and verifying a ~3 KB dispatch (goal: at most 25 µs to fingerprint).</summary>
[MemoryDiagnoser]
public class DeduplicationFingerprintBenchmarks
{
    private const string Title = "Un séisme de magnitude 5,8 frappe le Xinjiang";

    // About 3 KB and 500 words of wire French: three dispatches run together.
    private const string Text = """
        URUMQI, 12 novembre (Xinhua) -- Un séisme de magnitude 5,8 a frappé mercredi à 14h07 (heure de Pékin) le district de Jiashi, dans la préfecture de Kashgar de la région autonome ouïgoure du Xinjiang (nord-ouest de la Chine), selon le Centre de réseaux sismiques de Chine (CENC).

        L'épicentre, d'une profondeur de 10 kilomètres, a été localisé à 39,72 degrés de latitude nord et 77,18 degrés de longitude est, a précisé le CENC.

        Selon les autorités locales, aucune victime n'avait été signalée à 16h00. Des fissures ont été observées sur 23 maisons anciennes dans les villages proches de l'épicentre, et une partie des habitants a passé l'après-midi dehors par précaution.

        Le bureau régional de gestion des urgences a déclenché une réponse d'urgence de niveau IV et dépêché une équipe de 45 secouristes sur place. Les lignes électriques et les télécommunications fonctionnent normalement, et le trafic ferroviaire entre Kashgar et Aksu n'a pas été interrompu.

        Le district de Jiashi, qui compte environ 400.000 habitants, se trouve sur une zone de forte activité sismique au pied des monts Tianshan.

        PEKIN, 20 octobre (Xinhua) -- Le produit intérieur brut (PIB) de la Chine a progressé de 4,8% en glissement annuel au troisième trimestre, selon les données publiées lundi par le Bureau d'Etat des statistiques (BES).

        Au cours des trois premiers trimestres, le PIB s'est élevé à 101.503 milliards de yuans, en hausse de 5,2% sur un an, a indiqué le BES.

        La valeur ajoutée de l'industrie a augmenté de 6,1% sur la période, tandis que celle du secteur des services a progressé de 5,4%. Les ventes au détail de biens de consommation, principal indicateur de la consommation, ont crû de 4,5%.

        Les investissements en actifs fixes ont reculé de 0,5% sur un an, pénalisés par la baisse de l'investissement immobilier, qui a chuté de 13,9%.

        Le porte-parole du BES, Fu Linghui, a estimé lors d'une conférence de presse que l'économie nationale avait maintenu une dynamique de reprise stable malgré un environnement extérieur complexe, et que la Chine était en bonne voie pour atteindre son objectif de croissance d'environ 5% pour l'année.

        Kénitra, 20 nov. (MAP) - Le premier train à grande vitesse reliant Kénitra à Marrakech a été mis en service jeudi, réduisant à 2 heures et 40 minutes le trajet entre Tanger et Marrakech, contre plus de 5 heures auparavant.

        Cette nouvelle ligne, longue de 430 kilomètres, prolonge la ligne Al Boraq inaugurée en 2018 entre Tanger et Kénitra. Elle dessert les gares de Rabat-Agdal, de Casablanca-Voyageurs, de l'aéroport Mohammed V et de Marrakech.

        Le projet, d'un coût global de 53 milliards de dirhams, comprend également la construction de nouvelles gares et l'acquisition de 18 rames à grande vitesse, a précisé l'Office national des chemins de fer (ONCF).

        Selon l'ONCF, la nouvelle ligne permettra de transporter plus de 20 millions de voyageurs par an à l'horizon 2030, année où le Maroc coorganisera la Coupe du monde de football avec l'Espagne et le Portugal.

        Les premiers billets ont été mis en vente mercredi sur le site et l'application de l'ONCF.
        """;

    private const string Unrelated = """
        DAKAR, 3 septembre (APS) -- De fortes pluies tombées dans la nuit de lundi à mardi ont provoqué d'importantes
        inondations dans plusieurs quartiers de la banlieue de Dakar, perturbant la circulation sur la route nationale
        et l'autoroute à péage, a constaté l'APS. Les services de la protection civile ont procédé au pompage des eaux
        dans les zones les plus touchées, où des familles ont dû quitter leurs maisons. Selon l'Agence nationale de
        l'aviation civile et de la météorologie, d'autres averses orageuses sont attendues jusqu'à jeudi sur l'ouest
        et le centre du pays, avec des rafales de vent pouvant atteindre 60 kilomètres à l'heure.
        """;

    private readonly string _title = Title;
    private readonly string _text = Text;
    private Fingerprint _original;
    private Fingerprint _copy;
    private ShingleSample _unrelated;

    [GlobalSetup]
    public void Setup()
    {
        _original = Fingerprinter.Compute(Title, Text);
        _copy = Fingerprinter.Compute("Xinjiang : secousse de magnitude 5,8", Text.Replace("URUMQI, 12 novembre (Xinhua) -- ", "", StringComparison.Ordinal) + " Une phrase ajoutée par un autre média.");

        // Another dispatch the index might propose: its sample rules it out without its full fingerprint.
        _unrelated = ShingleSample.Of(Fingerprinter.Compute("Les pluies perturbent le trafic routier", Unrelated));
        if (!RuleOutBySample())
        {
            throw new InvalidOperationException("the unrelated dispatch's sample should rule it out");
        }
    }

    [Benchmark]
    public ulong Fingerprint() => Fingerprinter.Compute(_title, _text).SimHash;

    [Benchmark]
    public bool Classify() => new DuplicateClassifier().Classify(_original, _copy).IsSameStory;

    /// <summary>Verifying an evicted candidate that its sample rules out (read back from the store and fingerprinted again instead: about 130 µs).</summary>
    [Benchmark]
    public bool RuleOutBySample() => _unrelated.RulesOut(_original, 0.5);
}

/// <summary>Cost of proposing near duplicates among 100k and 1M indexed items (goal: at most 20 µs a query at 1M).</summary>
/// <remarks>Random fingerprints, all inside the time window (the worst case), plus one planted near match.</remarks>
[MemoryDiagnoser]
public class DeduplicationIndexBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 13, 12, 0, 0, TimeSpan.Zero);

    private NearDuplicateIndex _index = null!;
    private ulong _simHash;
    private UInt128 _sketch;
    private UInt128 _leadSketch;

    [Params(100_000, 1_000_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _index = new NearDuplicateIndex();
        for (var i = 0; i < Items; i++)
        {
            _index.Add(i.ToString("x", CultureInfo.InvariantCulture), (ulong)random.NextInt64(), RandomSketch(random), RandomSketch(random), Now.AddMinutes(-random.Next(60 * 48)));
        }

        _simHash = (ulong)random.NextInt64();
        _sketch = RandomSketch(random);
        _leadSketch = RandomSketch(random);

        // The planted copy: six bits away on the SimHash, one lead band key in common.
        _index.Add("planted", _simHash ^ 0x0040_2010_0804_0201UL, ~_sketch, _leadSketch ^ ((UInt128)0xFFFF_FFFF << 32), Now.AddHours(-3));
    }

    private static UInt128 RandomSketch(Random random) => new((ulong)random.NextInt64(), (ulong)random.NextInt64());

    [Benchmark]
    public int Query()
    {
        var candidates = _index.Query(_simHash, _sketch, _leadSketch, Now);
        return candidates.Count;
    }
}
