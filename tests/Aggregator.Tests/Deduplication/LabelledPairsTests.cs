using System.Globalization;
using System.Text.Json;
using Aggregator.Deduplication;

namespace Aggregator.Tests.Deduplication;

/// <summary>Precision and recall of index + classifier over the hand-labelled French pairs in TestData/Deduplication/pairs.json.</summary>
public sealed class LabelledPairsTests(ITestOutputHelper output)
{
    private const double MinPrecision = 0.95;
    private const double MinRecall = 0.85;

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.3)]
    [InlineData(0.8)]
    public void IsSameStory_EveryPairOfDispatches_AgreesWithTheFullVerdict(double minContainment)
    {
        // IsSameStory stops its merge as soon as the answer is known and skips the facts of unlike texts.
        var set = LabelledSet.Load();
        var classifier = new DuplicateClassifier(new DeduplicationSettings { MinContainment = minContainment });
        var prints = set.Dispatches.Values.Select(d => Fingerprinter.Compute(d.Title, d.Text)).ToList();
        var same = 0;
        foreach (var a in prints)
        {
            foreach (var b in prints)
            {
                var verdict = classifier.Classify(a, b).IsSameStory;
                Assert.Equal(verdict, classifier.IsSameStory(a, b));
                same += verdict ? 1 : 0;
            }
        }

        Assert.InRange(same, prints.Count + 1, (prints.Count * prints.Count) - 1);
    }

    [Fact]
    public void Evaluate_LabelledPairs_MeetsPrecisionAndRecall()
    {
        var set = LabelledSet.Load();
        var settings = new DeduplicationSettings();
        var classifier = new DuplicateClassifier(settings);
        int truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0;

        foreach (var pair in set.Pairs)
        {
            var a = set.Dispatches[pair.A];
            var b = set.Dispatches[pair.B];
            var fa = Fingerprinter.Compute(a.Title, a.Text);
            var fb = Fingerprinter.Compute(b.Title, b.Text);

            // A fresh index per pair, and no time limit: the labelled look-alikes are often a day or a week
            // apart, and the window must not do the classifier's work here.
            var index = new NearDuplicateIndex(settings);
            index.Add(pair.A, fa, a.Published);
            var proposed = index.Query(fb, b.Published, TimeSpan.FromDays(3650)).Any(c => c.Id == pair.A);
            var verdict = classifier.Classify(fa, fb);
            var same = proposed && verdict.IsSameStory;

            if (same && pair.Same)
            {
                truePositives++;
            }
            else if (same)
            {
                falsePositives++;
            }
            else if (pair.Same)
            {
                falseNegatives++;
            }
            else
            {
                trueNegatives++;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(same == pair.Same ? "ok  " : "MISS")} {(pair.Same ? "dup " : "diff")} sim={ulong.PopCount(fa.SimHash ^ fb.SimHash),2} sk={SketchTable.Matches(fa.Sketch, fb.Sketch)} lead={SketchTable.Matches(fa.LeadSketch, fb.LeadSketch)} proposed={proposed,-5} {verdict.Reason,-16} c={verdict.Containment:F2} conflicts={verdict.FactConflicts} agree={verdict.FactAgreements} {pair.A} / {pair.B} ({pair.Kind})"));
        }

        var precision = truePositives / (double)Math.Max(1, truePositives + falsePositives);
        var recall = truePositives / (double)Math.Max(1, truePositives + falseNegatives);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pairs={set.Pairs.Count} tp={truePositives} fp={falsePositives} fn={falseNegatives} tn={trueNegatives} precision={precision:F3} recall={recall:F3}"));
        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture, $"Deduplication: precision {precision:F3}, recall {recall:F3} over {set.Pairs.Count} pairs"));

        Assert.True(set.Pairs.Count >= 50, "the labelled set needs at least 50 pairs");
        Assert.True(precision >= MinPrecision, $"precision {precision:F3} < {MinPrecision}");
        Assert.True(recall >= MinRecall, $"recall {recall:F3} < {MinRecall}");
    }

    [Fact]
    public void LabelledSet_IsBalanced()
    {
        var set = LabelledSet.Load();

        var duplicates = set.Pairs.Count(p => p.Same);

        Assert.InRange(duplicates, set.Pairs.Count * 0.4, set.Pairs.Count * 0.6);
    }
}

internal sealed record LabelledDispatch(string Title, string Text, DateTimeOffset Published);

internal sealed record LabelledPair(string A, string B, bool Same, string Kind);

internal sealed record LabelledSet(Dictionary<string, LabelledDispatch> Dispatches, List<LabelledPair> Pairs)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static LabelledSet Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "Deduplication", "pairs.json");
        return JsonSerializer.Deserialize<LabelledSet>(File.ReadAllText(path), Options)!;
    }
}
