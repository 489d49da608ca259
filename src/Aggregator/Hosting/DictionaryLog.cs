namespace Aggregator.Hosting;

/// <summary>What the service says when the store's body dictionary could not be trained or saved.</summary>
internal static class DictionaryLog
{
    public static void Failed(ILogger log, Exception failure, bool retrying)
    {
        if (retrying)
        {
            log.LogWarning(failure, "The store's body dictionary could not be trained or saved; bodies stay packed by Brotli (about a quarter larger) until another try, after twice as many bodies");
        }
        else
        {
            log.LogWarning(failure, "The store's body dictionary could not be trained or saved after four tries; bodies stay packed by Brotli (about a quarter larger) until the service restarts");
        }
    }

    /// <summary>The same, for a command's error output.</summary>
    public static string Line(Exception failure, bool retrying) =>
        $"warning: the store's body dictionary could not be trained or saved ({failure.Message}); bodies stay packed by Brotli"
        + (retrying ? " until another try" : " (four tries made)");
}
