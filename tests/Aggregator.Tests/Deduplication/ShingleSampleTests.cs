using System.Collections.Immutable;
using Aggregator.Deduplication;

namespace Aggregator.Tests.Deduplication;

/// <summary>
/// A fingerprint the cache let go of leaves a sample of its shingles, which rules out candidates that cannot be the
/// same story without reading them back from the store, and never one the full check would have accepted.
/// </summary>
public sealed class ShingleSampleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void RulesOut_LabelledDispatches_NeverAPairTheClassifierCallsTheSameStory(double minContainment)
    {
        var classifier = new DuplicateClassifier(new DeduplicationSettings { MinContainment = minContainment });
        var prints = LabelledSet.Load().Dispatches.Values.Select(d => Fingerprinter.Compute(d.Title, d.Text)).ToList();
        int same = 0, different = 0, ruledOut = 0;

        foreach (var query in prints)
        {
            foreach (var candidate in prints.Where(p => !ReferenceEquals(p.Evidence, query.Evidence)))
            {
                var rules = ShingleSample.Of(candidate).RulesOut(query, minContainment);
                if (classifier.IsSameStory(query, candidate))
                {
                    Assert.False(rules);
                    same++;
                }
                else
                {
                    different++;
                    ruledOut += rules ? 1 : 0;
                }
            }
        }

        // Distinct dispatches on the same subjects: most pairs the classifier rejects are ruled out by the sample
        // (83% at 0.3, where a sample can tell less, over 90% at 0.5 and 0.8).
        Assert.True(same > 0, "the labelled set has copies");
        Assert.True(ruledOut > 0.75 * different, $"{ruledOut} of {different} ruled out");
    }

    [Fact]
    public void RulesOut_TheCandidatesTheIndexProposesAmongSyntheticDispatches_NearlyAllFalseOnesAndNoCopy()
    {
        // The bench's dispatches share template phrases (a tenth to a fifth of their shingles), so the index proposes
        // many of them for each other: the case the samples are for.
        var settings = new DeduplicationSettings();
        var classifier = new DuplicateClassifier(settings);
        var index = new NearDuplicateIndex(settings);
        var prints = new Dictionary<string, Fingerprint>();
        int proposed = 0, same = 0, ruledOut = 0;
        foreach (var (id, title, text, published) in SyntheticDispatches.Of(feeds: 30, perFeed: 40, copyEvery: 5, now: Now))
        {
            var print = Fingerprinter.Compute(title, text);
            foreach (var candidate in index.Query(print, published))
            {
                proposed++;
                var rules = ShingleSample.Of(prints[candidate.Id]).RulesOut(print, settings.MinContainment);
                if (classifier.IsSameStory(print, prints[candidate.Id]))
                {
                    Assert.False(rules, $"{id} and {candidate.Id} are the same story");
                    same++;
                }
                else
                {
                    ruledOut += rules ? 1 : 0;
                }
            }

            index.Add(id, print, published);
            prints[id] = print;
        }

        Assert.True(same >= 200, $"{same} copies proposed");
        Assert.True(proposed - same > 1500, $"{proposed - same} false candidates proposed");
        // 89% here: the cut copies, as queries, need only a quarter of a longer text's shingles, which a sample of 64
        // can seldom rule out (among uncut dispatches alone, 6,000 of them, it ruled out all but one in 11,785).
        Assert.True(ruledOut > 0.85 * (proposed - same), $"{ruledOut} of {proposed - same} ruled out");
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void RulesOut_TextsContainingEnoughOfEachOther_NeverAcrossSizes(double minContainment)
    {
        var random = new Random(20261127);
        for (var trial = 0; trial < 20_000; trial++)
        {
            // Two texts of 1 to 800 shingles sharing just enough for the shorter (by shingles: same word counts) to be contained.
            var (a, b) = (random.Next(1, 800), random.Next(1, 800));
            var shared = DuplicateClassifier.SharedNeeded(Math.Min(a, b), minContainment);
            var (query, candidate) = Overlapping(random, a, b, Math.Min(shared, Math.Min(a, b)));

            Assert.False(ShingleSample.Of(candidate).RulesOut(query, minContainment), $"trial {trial}: {a} and {b} shingles, {shared} shared");
        }
    }

    [Fact]
    public void RulesOut_ACandidateOfFewShingles_IsExact()
    {
        // Up to Size shingles the sample is the whole text: a text sharing one fewer than needed is always ruled out.
        var random = new Random(5);
        for (var trial = 0; trial < 2_000; trial++)
        {
            var b = random.Next(2, ShingleSample.Size + 1);
            var a = random.Next(b, 800);
            var needed = DuplicateClassifier.SharedNeeded(b, 0.5);
            var (query, candidate) = Overlapping(random, a, b, needed - 1, distinctPrefixes: true);

            Assert.True(ShingleSample.Of(candidate).RulesOut(query, 0.5), $"trial {trial}: {b} shingles, {needed - 1} shared");
            var (again, same) = Overlapping(random, a, b, needed, distinctPrefixes: true);
            Assert.False(ShingleSample.Of(same).RulesOut(again, 0.5));
        }
    }

    [Fact]
    public void RulesOut_LongTextsSharingNothing()
    {
        // The lowest 64 of 20,000 hashes are small numbers: their top 16 bits alone would match a third of another
        // long text's lowest hashes by chance, and rule out nothing.
        var random = new Random(11);
        for (var trial = 0; trial < 20; trial++)
        {
            var (query, candidate) = Overlapping(random, 20_000, 20_000, shared: 0);

            Assert.True(ShingleSample.Of(candidate).RulesOut(query, 0.5), $"trial {trial}");
        }
    }

    [Fact]
    public void RulesOut_TheSameText_Never()
    {
        var print = Fingerprinter.Compute("Titre", "Le ministre a signé un accord de coopération économique avec une délégation.");

        Assert.False(ShingleSample.Of(print).RulesOut(print, 0.5));
    }

    /// <summary>
    /// Two fingerprints of <paramref name="a"/> and <paramref name="b"/> shingles with exactly <paramref name="shared"/>
    /// in common: uniform hashes, or, with <paramref name="distinctPrefixes"/>, hashes whose top 16 bits differ too.
    /// </summary>
    private static (Fingerprint A, Fingerprint B) Overlapping(Random random, int a, int b, int shared, bool distinctPrefixes = false)
    {
        var hashes = new HashSet<uint>();
        var prefixes = new HashSet<uint>();
        while (hashes.Count < a + b - shared)
        {
            var hash = (uint)random.NextInt64(0, 1L << 32);
            if (!distinctPrefixes || prefixes.Add(hash >> 16))
            {
                hashes.Add(hash);
            }
        }

        var shuffled = hashes.ToArray();
        random.Shuffle(shuffled);
        var inA = shuffled[..a];
        var inB = shuffled[(a - shared)..(a - shared + b)];
        return (Print(inA, random), Print(inB, random));
    }

    // Word counts equal to the shingle counts, so the classifier's shorter text is the one with fewer shingles.
    private static Fingerprint Print(uint[] shingles, Random random) =>
        new(0, 0, 0, (ulong)random.NextInt64(), new TextEvidence([.. shingles.Order()], ImmutableArray<Fact>.Empty, shingles.Length));
}
