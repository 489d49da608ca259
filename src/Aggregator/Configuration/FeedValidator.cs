using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aggregator.Configuration;

/// <summary>Validates the feeds array of feeds.json and applies the defaults to each feed.</summary>
internal sealed partial class FeedValidator(ConfigReader read, FeedDefaults defaults)
{
    private readonly Dictionary<string, string> firstPathById = new(StringComparer.Ordinal);

    public IReadOnlyList<FeedConfig> Validate(JsonElement value, string path)
    {
        if (!read.Expect(value, JsonValueKind.Array, path))
        {
            return [];
        }

        var feeds = new List<FeedConfig>();
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (Feed(element, JsonLineMap.Index(path, index++)) is { } feed)
            {
                feeds.Add(feed);
            }
        }

        return feeds;
    }

    private FeedConfig? Feed(JsonElement value, string path)
    {
        var properties = read.Object(value, path, ConfigKeys.Feed);
        if (properties is null)
        {
            return null;
        }

        var id = Id(properties, path);
        var url = properties.TryGetValue("url", out var u) ? read.HttpUrl(u, path + ".url") : Missing<Uri>(path + ".url");

        // Start from the defaults so that a bad optional value is reported without hiding the others.
        var feed = new FeedConfig
        {
            Id = id ?? "",
            Url = url ?? new Uri("http://invalid/"),
            Name = id ?? "",
            Language = defaults.Language,
            Interval = defaults.Interval,
            Timeout = defaults.Timeout,
            MaxBytes = defaults.MaxBytes,
        };

        foreach (var (name, element) in properties)
        {
            var at = JsonLineMap.Property(path, name);
            feed = name switch
            {
                "name" => read.Text(element, at) is { } n ? feed with { Name = n } : feed,
                "category" => read.Text(element, at) is { } category ? feed with { Category = category } : feed,
                "language" => read.Language(element, at) is { } language ? feed with { Language = language } : feed,
                "interval" => read.Interval(element, at) is { } interval ? feed with { Interval = interval } : feed,
                "timeout" => read.Timeout(element, at) is { } timeout ? feed with { Timeout = timeout } : feed,
                "maxBytes" => read.Integer(element, at, 1, long.MaxValue) is { } maxBytes ? feed with { MaxBytes = maxBytes } : feed,
                "enabled" => read.Flag(element, at) is { } enabled ? feed with { Enabled = enabled } : feed,
                "fullText" => read.Flag(element, at) is { } fullText ? feed with { FullText = fullText } : feed,
                "allowPrivate" => read.Flag(element, at) is { } allowPrivate ? feed with { AllowPrivate = allowPrivate } : feed,
                "priority" => read.Integer(element, at, int.MinValue, int.MaxValue) is { } priority ? feed with { Priority = (int)priority } : feed,
                "clean" => Clean(element, at) is { } clean ? feed with { Clean = clean } : feed,
                _ => feed,
            };
        }

        return id is not null && url is not null ? feed : null;
    }

    private string? Id(Dictionary<string, JsonElement> properties, string feedPath)
    {
        var path = feedPath + ".id";
        if (!properties.TryGetValue("id", out var value))
        {
            return Missing<string>(path);
        }

        var id = read.Text(value, path);
        if (id is null)
        {
            return null;
        }

        if (!IdPattern().IsMatch(id))
        {
            read.Report(path, $"id '{id}' may only hold lowercase letters, digits and hyphens");
            return null;
        }

        if (!firstPathById.TryAdd(id, feedPath))
        {
            read.Report(path, $"duplicate id '{id}': already used by {firstPathById[id]}");
            return null;
        }

        return id;
    }

    private CleanRules? Clean(JsonElement value, string path)
    {
        var properties = read.Object(value, path, ConfigKeys.Clean);
        if (properties is null)
        {
            return null;
        }

        string? content = null;
        if (properties.TryGetValue("content", out var c))
        {
            content = read.XPath(c, path + ".content");
        }

        var remove = new List<string>();
        if (properties.TryGetValue("remove", out var r) && read.Expect(r, JsonValueKind.Array, path + ".remove"))
        {
            var index = 0;
            foreach (var element in r.EnumerateArray())
            {
                if (read.XPath(element, JsonLineMap.Index(path + ".remove", index++)) is { } xpath)
                {
                    remove.Add(xpath);
                }
            }
        }

        return new CleanRules(content, remove);
    }

    private T? Missing<T>(string path)
        where T : class
    {
        read.Report(path, $"missing required key '{path[(path.LastIndexOf('.') + 1)..]}'");
        return null;
    }

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    public static partial Regex IdPattern();
}
