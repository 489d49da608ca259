using System.Diagnostics.Tracing;

namespace Aggregator.Hosting;

/// <summary>
/// The collector's own account of its work, read from the runtime's GC events in this process: how many bytes each
/// collection found alive in the young generations and promoted. Young collections cost what they keep (the objects
/// they copy), not what was allocated: this tells a change that lets an item's data die sooner from one that only
/// allocates less. For the bench, which reads it around each pass.
/// </summary>
internal sealed class CollectorEvents : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private long promotedBytes;

    // The index of the last collection accounted for (the runtime numbers them as GC.CollectionCount(0) counts them),
    // and the one under way: its generation, and whether its statistics are still to come.
    private long accounted;
    private long started;
    private int depth;
    private bool pending;

    /// <summary>
    /// Bytes promoted out of gen0 and gen1 so far, summed over the collections since the listener began: what the
    /// collections copied into older generations. Waits (up to two seconds) for the statistics of the collections
    /// already run, which the runtime hands over a little after each.
    /// </summary>
    public long PromotedBytes()
    {
        var deadline = Environment.TickCount64 + 2000;
        while (Interlocked.Read(ref accounted) < GC.CollectionCount(0) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }

        return Interlocked.Read(ref promotedBytes);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // Delivered in order on one thread: each collection's start, then its heap statistics when it ends. A
        // background collection (type 1) ends after the young ones that run meanwhile, each of which starts and ends
        // in turn; it is accounted for at its start, for what it keeps is gen2, all that lives, whatever a pass did.
        switch (eventData.EventName)
        {
            case "GCStart_V2" when Number(eventData, "Type") == 1:
                Account(Number(eventData, "Count"), 0);
                break;
            case "GCStart_V2":
                (started, depth, pending) = (Number(eventData, "Count"), (int)Number(eventData, "Depth"), true);
                break;
            case "GCHeapStats_V2" when pending:
                // Of a full collection too, only what it promoted out of the young generations.
                var promoted = Number(eventData, "TotalPromotedSize0") + (depth >= 1 ? Number(eventData, "TotalPromotedSize1") : 0);
                pending = false;
                Account(started, promoted);
                break;
        }
    }

    private void Account(long index, long promoted)
    {
        Interlocked.Add(ref promotedBytes, promoted);
        if (index > Interlocked.Read(ref accounted))
        {
            Interlocked.Exchange(ref accounted, index);
        }
    }

    private static long Number(EventWrittenEventArgs eventData, string name)
    {
        var index = eventData.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 ? Convert.ToInt64(eventData.Payload![index], System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
