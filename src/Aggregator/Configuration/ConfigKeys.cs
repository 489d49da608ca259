namespace Aggregator.Configuration;

/// <summary>The keys feeds.json accepts at each level; anything else is reported as unknown.</summary>
internal static class ConfigKeys
{
    public static readonly IReadOnlySet<string> Top = Set("$schema", "defaults", "output", "deduplication", "fetching", "feeds", "retention");

    public static readonly IReadOnlySet<string> Defaults = Set("interval", "timeout", "language", "maxBytes");

    public static readonly IReadOnlySet<string> Output = Set("title", "link", "maxItems", "language", "maxAge", "hub", "directory", "timeZone");

    public static readonly IReadOnlySet<string> Feed = Set(
        "id", "url", "name", "category", "language", "interval", "timeout", "maxBytes",
        "enabled", "clean", "fullText", "allowPrivate", "priority");

    public static readonly IReadOnlySet<string> Deduplication = Set("window", "minContainment", "maxSimHashDistance", "maxFactConflicts");

    public static readonly IReadOnlySet<string> Fetching = Set("maxConcurrent", "maxPerHost", "maxBackoff");

    public static readonly IReadOnlySet<string> Clean = Set("content", "remove");

    private static HashSet<string> Set(params string[] keys) => new(keys, StringComparer.Ordinal);
}
