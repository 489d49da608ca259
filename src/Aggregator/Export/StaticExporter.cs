using Aggregator.Configuration;
using Aggregator.Opml;

namespace Aggregator.Export;

/// <summary>
/// One file of the static export: its path under the folder and how to render it. Other parts add theirs by
/// registering a StaticFile (the HTML page adds index.html this way).
/// </summary>
internal sealed record StaticFile(string Path, Func<byte[]> Render);

/// <summary>
/// Writes the feeds as files (feed.atom, feed.rss, feed.json, c/{category}.*, feeds.opml and any registered
/// extra) so a plain web server or a bucket can serve them. Each file is written beside its final name and moved
/// over it, so a reader never sees half a feed.
/// </summary>
internal sealed class StaticExporter(FeedExporter exporter, ActiveConfig config, IEnumerable<StaticFile> extras)
{
    public StaticExporter(FeedExporter exporter, ActiveConfig config)
        : this(exporter, config, [])
    {
    }

    /// <summary>Every file of the export for the configuration in force, feeds first.</summary>
    public IReadOnlyList<StaticFile> Files()
    {
        var active = config.Current;
        var files = new List<StaticFile>();
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            files.Add(new StaticFile(FeedFormats.FileName(format), () => exporter.Current(format).Body));
        }

        // The categories admins gave their feeds; an item's own categories are many and unchecked, so they are served only over HTTP.
        var categories = active.Feeds.Select(f => f.Category).OfType<string>().Select(FeedQuery.Slug).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            var query = FeedQuery.All with { Category = category, CategoryInPath = true };
            foreach (var format in Enum.GetValues<ExportFormat>())
            {
                files.Add(new StaticFile(query.Path(format), () => exporter.Current(format, query).Body));
            }
        }

        files.Add(new StaticFile("feeds.opml", () => OpmlWriter.Write(active.Output.Title, active.EnabledFeeds, _ => null)));
        files.AddRange(extras);
        return files;
    }

    /// <summary>Writes every file whose content changed; returns how many were written.</summary>
    public int WriteAll(string directory)
    {
        var written = 0;
        foreach (var file in Files())
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, file.Path));
            var body = file.Render();
            if (File.Exists(path) && new FileInfo(path).Length == body.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(body))
            {
                // Unchanged: leaving the file alone keeps its modification time, which servers turn into Last-Modified.
                continue;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllBytes(temporary, body);
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            written++;
        }

        return written;
    }
}
