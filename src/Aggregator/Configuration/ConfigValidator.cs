using System.Text.Json;
using Aggregator.Deduplication;

namespace Aggregator.Configuration;

/// <summary>Turns a parsed feeds.json into an <see cref="AggregatorConfig"/>, or reports all that is wrong with it.</summary>
internal sealed class ConfigValidator(ConfigReader read)
{
    public AggregatorConfig? Validate(JsonElement root)
    {
        var top = read.Object(root, "$", ConfigKeys.Top);
        if (top is null)
        {
            return null;
        }

        if (top.TryGetValue("$schema", out var schema))
        {
            read.Text(schema, "$.$schema");
        }

        // Defaults first: feeds inherit from them.
        var defaults = top.TryGetValue("defaults", out var d) ? Defaults(d) : new FeedDefaults();
        var output = top.TryGetValue("output", out var o) ? Output(o) : new OutputSettings();
        var deduplication = top.TryGetValue("deduplication", out var dd) ? Deduplication(dd) : new DeduplicationSettings();
        var fetching = top.TryGetValue("fetching", out var fe) ? Fetching(fe) : new FetchingSettings();
        var retention = top.TryGetValue("retention", out var r) ? read.Retention(r, "$.retention") : null;
        IReadOnlyList<FeedConfig> feeds = [];
        if (!top.TryGetValue("feeds", out var f))
        {
            read.Report("$.feeds", "missing required key 'feeds'");
        }
        else
        {
            feeds = new FeedValidator(read, defaults).Validate(f, "$.feeds");
        }

        return read.Problems.Count == 0 ? new AggregatorConfig(defaults, output, feeds) { Deduplication = deduplication, Fetching = fetching, Retention = retention ?? AggregatorConfig.DefaultRetention } : null;
    }

    private FetchingSettings Fetching(JsonElement value)
    {
        const string Path = "$.fetching";
        var settings = new FetchingSettings();
        var properties = read.Object(value, Path, ConfigKeys.Fetching);
        if (properties is null)
        {
            return settings;
        }

        foreach (var (name, element) in properties)
        {
            var path = JsonLineMap.Property(Path, name);
            settings = name switch
            {
                "maxConcurrent" => read.Integer(element, path, 1, 64) is { } concurrent ? settings with { MaxConcurrent = (int)concurrent } : settings,
                "maxPerHost" => read.Integer(element, path, 1, 16) is { } perHost ? settings with { MaxPerHost = (int)perHost } : settings,
                "maxBackoff" => MaxBackoff(element, path) is { } backoff ? settings with { MaxBackoff = backoff } : settings,
                _ => settings,
            };
        }

        if (settings.MaxPerHost > settings.MaxConcurrent)
        {
            read.Report(JsonLineMap.Property(Path, "maxPerHost"), $"maxPerHost {settings.MaxPerHost} is above maxConcurrent {settings.MaxConcurrent}");
        }

        return settings;
    }

    private TimeSpan? MaxBackoff(JsonElement value, string path)
    {
        var backoff = read.Duration(value, path);
        if (backoff < TimeSpan.FromMinutes(1) || backoff > TimeSpan.FromDays(7))
        {
            read.Report(path, $"maxBackoff {value.GetString()} must be between 1 minute and 7 days");
            return null;
        }

        return backoff;
    }

    private DeduplicationSettings Deduplication(JsonElement value)
    {
        const string Path = "$.deduplication";
        var settings = new DeduplicationSettings();
        var properties = read.Object(value, Path, ConfigKeys.Deduplication);
        if (properties is null)
        {
            return settings;
        }

        foreach (var (name, element) in properties)
        {
            var path = JsonLineMap.Property(Path, name);
            settings = name switch
            {
                "window" => read.Duration(element, path) is { } window ? settings with { Window = window } : settings,
                "minContainment" => read.Number(element, path, 0.05, 1) is { } containment ? settings with { MinContainment = containment } : settings,
                "maxSimHashDistance" => read.Integer(element, path, 0, 15) is { } distance ? settings with { MaxSimHashDistance = (int)distance } : settings,
                "maxFactConflicts" => read.Integer(element, path, 0, 20) is { } conflicts ? settings with { MaxFactConflicts = (int)conflicts } : settings,
                _ => settings,
            };
        }

        return settings;
    }

    private FeedDefaults Defaults(JsonElement value)
    {
        const string Path = "$.defaults";
        var defaults = new FeedDefaults();
        var properties = read.Object(value, Path, ConfigKeys.Defaults);
        if (properties is null)
        {
            return defaults;
        }

        foreach (var (name, element) in properties)
        {
            var path = JsonLineMap.Property(Path, name);
            defaults = name switch
            {
                "interval" => read.Interval(element, path) is { } interval ? defaults with { Interval = interval } : defaults,
                "timeout" => read.Timeout(element, path) is { } timeout ? defaults with { Timeout = timeout } : defaults,
                "language" => read.Language(element, path) is { } language ? defaults with { Language = language } : defaults,
                "maxBytes" => read.Integer(element, path, 1, long.MaxValue) is { } maxBytes ? defaults with { MaxBytes = maxBytes } : defaults,
                _ => defaults,
            };
        }

        return defaults;
    }

    private OutputSettings Output(JsonElement value)
    {
        const string Path = "$.output";
        var output = new OutputSettings();
        var properties = read.Object(value, Path, ConfigKeys.Output);
        if (properties is null)
        {
            return output;
        }

        foreach (var (name, element) in properties)
        {
            var path = JsonLineMap.Property(Path, name);
            output = name switch
            {
                "title" => read.Text(element, path) is { } title ? output with { Title = title } : output,
                "link" => read.HttpUrl(element, path) is { } link ? output with { Link = link } : output,
                "maxItems" => read.Integer(element, path, 1, 1000) is { } maxItems ? output with { MaxItems = (int)maxItems } : output,
                "language" => read.Language(element, path) is { } language ? output with { Language = language } : output,
                "timeZone" => read.TimeZone(element, path) is { } zone ? output with { TimeZone = zone } : output,
                "maxAge" => read.MaxAge(element, path) is { } maxAge ? output with { MaxAge = maxAge } : output,
                "hub" => read.HttpUrl(element, path) is { } hub ? output with { Hub = hub } : output,
                "directory" => read.Text(element, path) is { } directory ? output with { Directory = directory } : output,
                _ => output,
            };
        }

        return output;
    }
}
