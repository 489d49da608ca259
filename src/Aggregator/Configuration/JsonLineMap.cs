using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aggregator.Configuration;

/// <summary>
/// The 1-based line of every JSON path in a document. JsonDocument keeps no positions, so one
/// Utf8JsonReader pass records them; the same pass finds syntax errors and duplicate keys.
/// </summary>
internal sealed partial class JsonLineMap
{
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, int> lines = new(StringComparer.Ordinal);

    private JsonLineMap()
    {
    }

    /// <summary>Problems the reader pass found; a syntax error ends the pass.</summary>
    public List<ConfigProblem> Problems { get; } = [];

    public bool HasSyntaxError { get; private set; }

    public static JsonLineMap Build(ReadOnlySpan<byte> utf8)
    {
        var map = new JsonLineMap();
        map.Read(utf8);
        return map;
    }

    /// <summary>The line of the path, or of its nearest ancestor when the path names something missing.</summary>
    public int LineOf(string path)
    {
        var current = path;
        while (true)
        {
            if (lines.TryGetValue(current, out var line))
            {
                return line;
            }

            var cut = Math.Max(current.LastIndexOf('.'), current.LastIndexOf('['));
            if (cut <= 0)
            {
                return lines.GetValueOrDefault("$", 1);
            }

            current = current[..cut];
        }
    }

    public static string Property(string parent, string name) =>
        SimpleName().IsMatch(name) ? $"{parent}.{name}" : $"{parent}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleName();

    private void Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        var frames = new Stack<Frame>();
        var line = 1;
        var counted = 0;
        string? propertyPath = null;
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                line += utf8[counted..start].Count((byte)'\n');
                counted = start;

                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var frame = frames.Peek();
                        var name = reader.GetString()!;
                        propertyPath = Property(frame.Path, name);
                        if (!frame.Keys!.Add(name))
                        {
                            Problems.Add(new ConfigProblem(propertyPath, line, $"duplicate key '{name}': only its first value is used"));
                        }

                        lines.TryAdd(propertyPath, line);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    default:
                        var path = ValuePath(frames, propertyPath);
                        lines.TryAdd(path, line);
                        if (reader.TokenType is JsonTokenType.StartObject)
                        {
                            frames.Push(new Frame(path, new HashSet<string>(StringComparer.Ordinal)));
                        }
                        else if (reader.TokenType is JsonTokenType.StartArray)
                        {
                            frames.Push(new Frame(path, null));
                        }

                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            HasSyntaxError = true;
            var where = frames.Count > 0 ? frames.Peek().Path : "$";
            Problems.Add(new ConfigProblem(where, (int)(ex.LineNumber ?? 0) + 1, $"invalid JSON: {WithoutPosition(ex.Message)}"));
        }
    }

    private static string ValuePath(Stack<Frame> frames, string? propertyPath)
    {
        if (frames.Count == 0)
        {
            return "$";
        }

        var parent = frames.Peek();
        return parent.Keys is null ? Index(parent.Path, parent.NextIndex++) : propertyPath!;
    }

    // The reader appends its own 0-based position; our problems carry the 1-based line instead.
    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).Trim();
    }

    // Keys is null for an array, whose children are numbered instead of named.
    private sealed class Frame(string path, HashSet<string>? keys)
    {
        public string Path => path;

        public HashSet<string>? Keys => keys;

        public int NextIndex { get; set; }
    }
}
