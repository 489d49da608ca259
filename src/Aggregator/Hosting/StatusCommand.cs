using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>
/// <c>Aggregator status</c>: asks the running service (which holds the data folder) and, when none answers,
/// reads the feeds file and the store directly. Prints one row per feed.
/// </summary>
internal static class StatusCommand
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>State fields the table already shows (or that only the fetcher needs); any other one is printed under its feed.</summary>
    private static readonly HashSet<string> Shown = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(FeedState.Id), nameof(FeedState.ETag), nameof(FeedState.LastModified), nameof(FeedState.SourceTitle), nameof(FeedState.SourceLink),
        nameof(FeedState.LastAttempt), nameof(FeedState.LastSuccess), nameof(FeedState.LastFailure), nameof(FeedState.LastError), nameof(FeedState.ConsecutiveFailures),
    };

    public static async Task<int> RunAsync(CommandLine cli, TextWriter output, TextWriter errors)
    {
        if (!Uri.TryCreate(cli.Url.TrimEnd('/') + "/status", UriKind.Absolute, out var statusUri) || statusUri.Scheme is not ("http" or "https"))
        {
            await errors.WriteLineAsync($"error: --url needs an http or https address, not '{cli.Url}'");
            return Commands.InvalidInput;
        }

        var (report, unanswered) = await AskAsync(statusUri);
        if (report is null)
        {
            var loaded = ConfigLoader.Load(cli.ConfigPath);
            if (!loaded.IsValid)
            {
                await errors.WriteLineAsync($"{cli.ConfigPath} is invalid ({loaded.Problems.Count} problem(s)):");
                foreach (var problem in loaded.Problems)
                {
                    await errors.WriteLineAsync($"  {problem}");
                }

                return Commands.InvalidInput;
            }

            ItemStore store;
            try
            {
                store = ItemStore.Open(cli.DataDirectory, TimeProvider.System);
            }
            catch (StoreLockedException e)
            {
                await errors.WriteLineAsync($"error: no service answered at {statusUri} ({unanswered}), and {e.Message}");
                return Commands.DataInUse;
            }

            using (store)
            {
                var config = new ActiveConfig(loaded.Config!, Path.GetFullPath(cli.ConfigPath));
                config.Accept(loaded.Config!, ConfigWatcher.Read(config.Path).Hash, TimeProvider.System.GetUtcNow());
                report = StatusReport.Build("store", config, store, new Dictionary<string, DateTimeOffset?>(), TimeProvider.System.GetUtcNow());
            }

            await output.WriteLineAsync($"No service answered at {statusUri} ({unanswered}): read from {Path.GetFullPath(cli.DataDirectory)}.");
        }
        else
        {
            await output.WriteLineAsync($"From the service at {statusUri}.");
        }

        await PrintAsync(report, output);
        return report.Feeds.Any(f => f.Enabled && f.State.ConsecutiveFailures > 0) ? Commands.FeedFailed : Commands.Ok;
    }

    private static async Task<(StatusReport? Report, string? Reason)> AskAsync(Uri statusUri)
    {
        using var http = new HttpClient { Timeout = AskTimeout };
        try
        {
            using var response = await http.GetAsync(statusUri);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"HTTP {(int)response.StatusCode}");
            }

            var report = await response.Content.ReadFromJsonAsync<StatusReport>(StatusReport.JsonOptions);
            return report?.Configuration is null ? (null, "not an Aggregator status") : (report, null);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
        catch (TaskCanceledException)
        {
            return (null, $"no answer within {AskTimeout.TotalSeconds:0} s");
        }
        catch (JsonException)
        {
            return (null, "not an Aggregator status");
        }
    }

    public static async Task PrintAsync(StatusReport report, TextWriter output)
    {
        var c = report.Configuration;
        await output.WriteLineAsync(Invariant($"Configuration {c.Path}: {c.Feeds} feeds, {c.EnabledFeeds} enabled, {(report.Source == "service" ? "in force since" : "read")} {Time(c.LoadedAt)}, hash {c.Hash?[..Math.Min(12, c.Hash.Length)] ?? "-"}"));
        if (c.LastRefusedEdit is { } refused)
        {
            await output.WriteLineAsync(Invariant($"Edit refused at {Time(refused.At)}, the configuration above stays in force ({refused.Problems.Count} problem(s)):"));
            foreach (var problem in refused.Problems)
            {
                await output.WriteLineAsync($"  {problem}");
            }
        }

        await output.WriteLineAsync();
        var idWidth = Math.Max(4, report.Feeds.Select(f => f.Id.Length).DefaultIfEmpty(0).Max());
        await output.WriteLineAsync(Row(idWidth, "FEED", "ON", "EVERY", "ITEMS", "LAST NEW ITEM", "LAST ATTEMPT", "LAST SUCCESS", "LAST FAILURE", "FAILS", "NEXT RUN"));
        foreach (var feed in report.Feeds)
        {
            var state = feed.State;
            await output.WriteLineAsync(Row(
                idWidth,
                feed.Id,
                feed.Enabled ? "yes" : "no",
                Duration(feed.Interval),
                feed.ItemsStored.ToString(CultureInfo.InvariantCulture),
                Time(feed.LastNewItem),
                Time(state.LastAttempt),
                Time(state.LastSuccess),
                Time(state.LastFailure),
                state.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture),
                Time(feed.NextRun)));
            var indent = new string(' ', idWidth + 2);
            if (state.ConsecutiveFailures > 0 && state.LastError is not null)
            {
                await output.WriteLineAsync($"{indent}error: {state.LastError}");
            }

            foreach (var (name, value) in OtherStateFields(state))
            {
                await output.WriteLineAsync($"{indent}{name}: {value}");
            }
        }

        await output.WriteLineAsync("Times are UTC.");
    }

    /// <summary>State fields the columns do not show, set to something other than their default.</summary>
    private static IEnumerable<(string Name, string Value)> OtherStateFields(FeedState state)
    {
        var fields = JsonSerializer.SerializeToNode(state, StatusReport.JsonOptions)?.AsObject() ?? [];
        foreach (var (name, value) in fields)
        {
            if (Shown.Contains(name) || value is null || value.GetValueKind() is JsonValueKind.False || (value.GetValueKind() is JsonValueKind.Number && value.ToJsonString() == "0"))
            {
                continue;
            }

            yield return (name, value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString());
        }
    }

    private static string Row(int idWidth, string id, string on, string every, string items, string lastNew, string attempt, string success, string failure, string fails, string next) =>
        Invariant($"{id.PadRight(idWidth)}  {on,-3}  {every,-6}  {items,6}  {lastNew,-16}  {attempt,-16}  {success,-16}  {failure,-16}  {fails,5}  {next}").TrimEnd();

    private static string Time(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";

    // The store keeps UTC; a date read back without a kind is UTC too.
    private static string Time(DateTime? value) => value is { } v ? Time(v.Kind == DateTimeKind.Local ? new DateTimeOffset(v) : new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc))) : "-";

    /// <summary>An interval as feeds.json writes it: 15m, 2h, 1h30m, 90s.</summary>
    internal static string Duration(TimeSpan value)
    {
        var parts = new List<string>();
        if (value.Days > 0)
        {
            parts.Add(Invariant($"{value.Days}d"));
        }

        if (value.Hours > 0)
        {
            parts.Add(Invariant($"{value.Hours}h"));
        }

        if (value.Minutes > 0)
        {
            parts.Add(Invariant($"{value.Minutes}m"));
        }

        if (value.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(Invariant($"{value.Seconds}s"));
        }

        return string.Concat(parts);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
