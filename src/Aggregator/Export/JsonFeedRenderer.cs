using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Cleaning;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>Writes the combined feed as JSON Feed 1.1, with a _source extension naming the outlet.</summary>
internal static class JsonFeedRenderer
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Readers display these strings; escaping every accent and angle bracket only bloats the file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Render(FeedDocument document)
    {
        var entries = EntryFragments.All(document, ExportFormat.Json, RenderItem);
        var buffer = new ArrayBufferWriter<byte>(EntryFragments.Capacity(entries));
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("version", "https://jsonfeed.org/version/1.1");
            json.WriteString("title", document.Title);
            json.WriteString("home_page_url", document.Output.Link.AbsoluteUri);
            json.WriteString("feed_url", document.SelfLink(ExportFormat.Json).AbsoluteUri);
            if (document.OlderLink(ExportFormat.Json) is { } older)
            {
                json.WriteString("next_url", older.AbsoluteUri);
            }

            if (document.Output.Hub is { } hub)
            {
                json.WriteStartArray("hubs");
                json.WriteStartObject();
                json.WriteString("type", "WebSub");
                json.WriteString("url", hub.AbsoluteUri);
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteString("language", document.Output.Language);
            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("name", document.Output.Title);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("items");
            foreach (var entry in entries)
            {
                json.WriteRawValue(entry, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// One item as the whole feed would hold it: written at the same depth inside a wrapper, with the line break
    /// and indentation before it (a raw value gets none from the writer).
    /// </summary>
    private static byte[] RenderItem(FeedDocument document, StoryEntry entry)
    {
        using var buffer = new MemoryStream();
        using var json = new Utf8JsonWriter(buffer, Options);
        json.WriteStartObject();
        json.WriteStartArray("items");
        json.Flush();
        var start = (int)buffer.Length;
        WriteItem(json, document, entry);
        json.Flush();
        return buffer.GetBuffer().AsSpan(start, (int)buffer.Length - start).ToArray();
    }

    private static void WriteItem(Utf8JsonWriter json, FeedDocument document, StoryEntry entry)
    {
        var item = entry.Item;
        var outlet = document.OutletOf(item);
        json.WriteStartObject();
        json.WriteString("id", FeedDocument.EntryId(entry.Id));
        if (item.Link is not null)
        {
            json.WriteString("url", item.Link);
        }

        json.WriteString("title", item.Title);
        json.WriteString("content_html", document.BodyHtml(entry));
        json.WriteString("summary", HtmlCleaner.Summarize(item.BodyText));
        json.WriteString("date_published", XmlText.Rfc3339(entry.Published));
        json.WriteString("date_modified", XmlText.Rfc3339(entry.Updated));
        json.WriteStartArray("authors");
        json.WriteStartObject();
        json.WriteString("name", item.Author ?? outlet.Name);
        json.WriteEndObject();
        json.WriteEndArray();
        if (item.Categories.Count > 0)
        {
            json.WriteStartArray("tags");
            item.Categories.ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        if (item.Enclosures.Count > 0)
        {
            json.WriteStartArray("attachments");
            foreach (var enclosure in item.Enclosures)
            {
                json.WriteStartObject();
                json.WriteString("url", enclosure.Url);
                json.WriteString("mime_type", enclosure.MediaType ?? "application/octet-stream");
                if (enclosure.Length is { } length)
                {
                    json.WriteNumber("size_in_bytes", length);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (entry.Related.Count > 0)
        {
            // The other outlets that carried the same story (an extension: JSON Feed has no related links).
            json.WriteStartArray("_related");
            foreach (var related in entry.Related)
            {
                var relatedOutlet = document.OutletOf(related);
                json.WriteStartObject();
                if (related.Link is not null)
                {
                    json.WriteString("url", related.Link);
                }

                json.WriteString("title", related.Title);
                json.WriteString("source_id", relatedOutlet.Id);
                json.WriteString("source_title", relatedOutlet.Name);
                json.WriteString("date_published", XmlText.Rfc3339(related.Published));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartObject("_source");
        json.WriteString("id", outlet.Id);
        json.WriteString("title", outlet.Name);
        json.WriteString("feed_url", outlet.FeedUrl.AbsoluteUri);
        if (outlet.SiteLink is not null)
        {
            json.WriteString("home_page_url", outlet.SiteLink.AbsoluteUri);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
