namespace Aggregator.Configuration;

/// <summary>One problem in feeds.json: where (JSON path and 1-based line) and what.</summary>
internal sealed record ConfigProblem(string Path, int Line, string Message)
{
    public override string ToString() => $"{Path} (line {Line}): {Message}";
}

/// <summary>The outcome of reading feeds.json: a configuration, or every problem found.</summary>
internal sealed record ConfigLoadResult(AggregatorConfig? Config, IReadOnlyList<ConfigProblem> Problems)
{
    public bool IsValid => Config is not null && Problems.Count == 0;
}

/// <summary>Reads and validates feeds.json.</summary>
internal static class ConfigLoader
{
    public static ConfigLoadResult Load(string path) => throw new NotImplementedException();

    public static ConfigLoadResult Parse(string json) => throw new NotImplementedException();

    /// <summary>Durations as admins write them: 90s, 15m, 2h, 1d, or hh:mm:ss.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value) => throw new NotImplementedException();
}
