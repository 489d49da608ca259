using Aggregator.Deduplication;

namespace Aggregator.Tests.Deduplication;

/// <summary>The newest fingerprints in full, the older ones as samples until they are forgotten.</summary>
public sealed class FingerprintCacheTests
{
    private static Fingerprint Print(string text) => Fingerprinter.Compute("Titre", text);

    private static readonly Fingerprint First = Print("Le ministre a signé un accord de coopération économique avec la délégation.");
    private static readonly Fingerprint Second = Print("La Banque centrale a relevé son taux directeur d'un quart de point mardi.");

    [Fact]
    public void Add_BeyondCapacity_TheOldestLeavesItsSampleBehind()
    {
        var cache = new FingerprintCache(1);

        cache.Add("a", First);
        cache.Add("b", Second);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGetSample("a", out var sample));
        Assert.False(sample.RulesOut(First, 0.5));
        Assert.True(cache.TryGet("b", out _));
        Assert.False(cache.TryGetSample("b", out _));
        Assert.Equal((1, 1), (cache.Count, cache.SampleCount));
    }

    [Fact]
    public void Remove_ForgetsTheSampleToo()
    {
        var cache = new FingerprintCache(1);
        cache.Add("a", First);
        cache.Add("b", Second);

        cache.Remove("a");

        Assert.False(cache.TryGetSample("a", out _));
        Assert.Equal(0, cache.SampleCount);
    }

    [Fact]
    public void Add_AnIdKeptAsASample_KeepsItInFullAgain()
    {
        var cache = new FingerprintCache(1);
        cache.Add("a", First);
        cache.Add("b", Second);

        // A corrected item, or a candidate read back from the store: its new fingerprint replaces the sample.
        cache.Add("a", Second);

        Assert.True(cache.TryGet("a", out var kept));
        Assert.Equal(Second.TextHash, kept.TextHash);
        Assert.False(cache.TryGetSample("a", out _));
        Assert.True(cache.TryGetSample("b", out _));
    }

    [Fact]
    public void Constructor_NegativeCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FingerprintCache(-1));
    }
}
