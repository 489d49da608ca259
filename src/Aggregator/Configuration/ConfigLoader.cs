using System.Text;
using System.Text.Json;

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
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonLineMap.ReaderOptions.CommentHandling,
        AllowTrailingCommas = JsonLineMap.ReaderOptions.AllowTrailingCommas,
    };

    public static ConfigLoadResult Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            return Failed($"feeds file not found: {fullPath}");
        }

        string json;
        try
        {
            json = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed($"cannot read feeds file {fullPath}: {ex.Message}");
        }

        return Parse(json);
    }

    public static ConfigLoadResult Parse(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json.TrimStart('\uFEFF'));
        var lines = JsonLineMap.Build(utf8);
        if (lines.HasSyntaxError)
        {
            return new ConfigLoadResult(null, lines.Problems);
        }

        using var document = JsonDocument.Parse(utf8, DocumentOptions);
        var read = new ConfigReader(lines);
        var config = new ConfigValidator(read).Validate(document.RootElement);
        return read.Problems.Count == 0 ? new ConfigLoadResult(config, []) : new ConfigLoadResult(null, read.Problems);
    }

    /// <summary>Durations as admins write them: 90s, 15m, 2h, 1d, or hh:mm:ss.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value) => DurationParser.TryParse(text, out value);

    private static ConfigLoadResult Failed(string message) => new(null, [new ConfigProblem("$", 0, message)]);
}
