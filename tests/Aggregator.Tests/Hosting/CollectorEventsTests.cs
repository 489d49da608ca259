using System.Diagnostics;
using Aggregator.Hosting;

namespace Aggregator.Tests.Hosting;

/// <summary>The bench's account of what the collector promoted, read from the runtime's own GC events.</summary>
public sealed class CollectorEventsTests
{
    [Fact]
    public void PromotedBytes_ObjectsAliveThroughAYoungCollection_AreCountedOnceItsStatisticsArrive()
    {
        using var collector = new CollectorEvents();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var before = collector.PromotedBytes();

        var kept = Enumerable.Range(0, 2_000).Select(_ => new byte[1_000]).ToList();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var waited = Stopwatch.StartNew();
        var promoted = collector.PromotedBytes() - before;
        waited.Stop();
        GC.KeepAlive(kept);

        // Other tests run meanwhile in this process, and what they hold is promoted too: at least these, then.
        Assert.True(promoted >= 2_000_000, $"{promoted} bytes promoted");

        // Waiting the whole two seconds would mean the runtime's numbering of collections was not followed.
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(1.9), $"waited {waited.Elapsed} for the collection's statistics");
    }
}
