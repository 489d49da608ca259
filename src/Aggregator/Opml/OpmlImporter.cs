using System.Text;
using Aggregator.Configuration;
using Aggregator.Hosting;

namespace Aggregator.Opml;

/// <summary>What an import would do: the entries to append, and the feeds left out with their reason.</summary>
internal sealed record ImportPlan(IReadOnlyList<NewFeedEntry> Added, IReadOnlyList<string> Skipped);

/// <summary>
/// The import-opml command: adds an OPML file's feeds to feeds.json, skipping those already there, and writes
/// the file only when the result still validates.
/// </summary>
internal static class OpmlImporter
{
    /// <summary>The feeds of <paramref name="opml"/> not yet in <paramref name="existing"/>, with fresh unique ids.</summary>
    public static ImportPlan Plan(OpmlDocument opml, IReadOnlyList<FeedConfig> existing)
    {
        var idsTaken = existing.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var urls = existing.GroupBy(f => f.Url.AbsoluteUri, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        // "Afrique" in the OPML file is the "afrique" the admins already use: one category, spelled their way.
        var categories = existing.Select(f => f.Category).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(c => c, StringComparer.OrdinalIgnoreCase);
        var added = new List<NewFeedEntry>();
        var skipped = new List<string>(opml.Ignored);
        foreach (var feed in opml.Feeds)
        {
            if (urls.TryGetValue(feed.XmlUrl.AbsoluteUri, out var id))
            {
                skipped.Add($"{feed.XmlUrl.AbsoluteUri}: already in the feeds file as '{id}'");
                continue;
            }

            var category = feed.Category is null ? null : categories.GetValueOrDefault(feed.Category, feed.Category);
            var entry = new NewFeedEntry(FeedIds.Unique(feed.Title, idsTaken), feed.Title, feed.XmlUrl, category);
            urls[feed.XmlUrl.AbsoluteUri] = entry.Id;
            added.Add(entry);
        }

        return new ImportPlan(added, skipped);
    }

    public static async Task<int> RunAsync(string opmlPath, string configPath, TextWriter output, TextWriter errors)
    {
        var read = OpmlReader.Read(opmlPath);
        if (read.Document is not { } opml)
        {
            await errors.WriteLineAsync($"error: {opmlPath}: {read.Error}");
            return Commands.InvalidInput;
        }

        var exists = File.Exists(configPath);
        var json = exists ? await File.ReadAllTextAsync(configPath) : FeedsFileEditor.NewFile;
        IReadOnlyList<FeedConfig> existing = [];
        if (exists)
        {
            var loaded = ConfigLoader.Parse(json);
            if (!loaded.IsValid)
            {
                await WriteProblemsAsync(errors, $"{configPath} is invalid; fix it before importing", loaded.Problems);
                return Commands.InvalidInput;
            }

            existing = loaded.Config!.Feeds;
        }

        var plan = Plan(opml, existing);
        foreach (var reason in plan.Skipped)
        {
            await output.WriteLineAsync($"skipped {reason}");
        }

        if (plan.Added.Count > 0)
        {
            var updated = FeedsFileEditor.Append(json, plan.Added);
            var check = updated is null ? null : ConfigLoader.Parse(updated);
            if (updated is null || check is null || !check.IsValid)
            {
                await WriteProblemsAsync(errors, $"importing {opmlPath} would make {configPath} invalid; nothing was written", check?.Problems ?? []);
                return Commands.InvalidInput;
            }

            // Write then rename, so the scheduler or an editor never reads half a file.
            var temporary = configPath + ".tmp";
            await File.WriteAllTextAsync(temporary, updated, new UTF8Encoding(false));
            File.Move(temporary, configPath, overwrite: true);
            foreach (var entry in plan.Added)
            {
                await output.WriteLineAsync($"added   {entry.Id}  {entry.Url.AbsoluteUri}{(entry.Category is null ? "" : $"  ({entry.Category})")}");
            }
        }

        await output.WriteLineAsync($"{plan.Added.Count} feed(s) added to {configPath}, {plan.Skipped.Count} skipped.");
        return Commands.Ok;
    }

    private static async Task WriteProblemsAsync(TextWriter errors, string heading, IReadOnlyList<ConfigProblem> problems)
    {
        await errors.WriteLineAsync($"error: {heading}:");
        foreach (var problem in problems)
        {
            await errors.WriteLineAsync($"  {problem}");
        }
    }
}
