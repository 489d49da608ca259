namespace Aggregator.Hosting;

/// <summary>
/// When the collector's spare memory is worth giving back: the process allocated next to nothing over the last
/// period (the service went quiet between polls), and enough since the last trim for there to be spare memory.
/// </summary>
internal sealed class QuietTrigger(long quietBytes, long minimumBytes)
{
    private long? lastSample;
    private long trimmedAt;

    /// <summary>Takes the bytes the process has allocated so far, at the end of a period: true when a trim is due now.</summary>
    public bool IsDue(long allocated)
    {
        var quiet = lastSample is { } last && allocated - last < quietBytes;
        lastSample = allocated;
        if (!quiet || allocated - trimmedAt < minimumBytes)
        {
            return false;
        }

        trimmedAt = allocated;
        return true;
    }
}
