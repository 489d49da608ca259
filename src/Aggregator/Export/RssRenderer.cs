using System.Globalization;
using System.Xml;
using Aggregator.Cleaning;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>Writes the combined feed as RSS 2.0, with content:encoded bodies and source elements.</summary>
internal static class RssRenderer
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";

    public static byte[] Render(FeedDocument document)
    {
        var entries = EntryFragments.All(document, ExportFormat.Rss, RenderItem);
        using var buffer = new MemoryStream(EntryFragments.Capacity(entries));
        using (var xml = XmlWriter.Create(buffer, XmlText.WriterSettings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("rss");
            xml.WriteAttributeString("version", "2.0");
            WriteNamespaces(xml);
            xml.WriteStartElement("channel");
            xml.WriteElementString("title", XmlText.Legal(document.Title));
            xml.WriteElementString("link", document.Output.Link.AbsoluteUri);
            xml.WriteElementString("description", XmlText.Legal(document.Title));
            xml.WriteElementString("language", document.Output.Language);
            xml.WriteElementString("lastBuildDate", XmlText.Rfc822(document.Updated));
            xml.WriteElementString("generator", "Aggregator");
            XmlText.WriteFeedLinks(xml, document, ExportFormat.Rss);
            xml.Flush();
            foreach (var entry in entries)
            {
                buffer.Write(entry);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }

    /// <summary>One item as the whole feed would hold it: written inside rss and channel elements, then cut out.</summary>
    private static byte[] RenderItem(FeedDocument document, StoryEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, XmlText.FragmentSettings))
        {
            xml.WriteStartElement("rss");
            WriteNamespaces(xml);
            xml.WriteStartElement("channel");
            WriteItem(xml, document, entry);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return EntryFragments.SliceElement(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "item"u8);
    }

    private static void WriteNamespaces(XmlWriter xml)
    {
        xml.WriteAttributeString("xmlns", "atom", null, AtomNs);
        xml.WriteAttributeString("xmlns", "content", null, ContentNs);
        xml.WriteAttributeString("xmlns", "dc", null, DcNs);
        xml.WriteAttributeString("xmlns", "fh", null, XmlText.HistoryNs);
    }

    private static void WriteItem(XmlWriter xml, FeedDocument document, StoryEntry entry)
    {
        var item = entry.Item;
        var outlet = document.OutletOf(item);
        xml.WriteStartElement("item");
        xml.WriteElementString("title", XmlText.Legal(item.Title));
        if (item.Link is not null)
        {
            xml.WriteElementString("link", item.Link);
        }

        xml.WriteStartElement("guid");
        xml.WriteAttributeString("isPermaLink", "false");
        xml.WriteString(FeedDocument.EntryId(entry.Id));
        xml.WriteEndElement();
        xml.WriteElementString("pubDate", XmlText.Rfc822(entry.Published));
        xml.WriteElementString("dc", "creator", DcNs, XmlText.Legal(item.Author ?? outlet.Name));
        foreach (var category in item.Categories)
        {
            xml.WriteElementString("category", XmlText.Legal(category));
        }

        // RSS 2.0 allows one enclosure per item.
        if (item.Enclosures.FirstOrDefault() is { } enclosure)
        {
            xml.WriteStartElement("enclosure");
            xml.WriteAttributeString("url", enclosure.Url);
            xml.WriteAttributeString("length", (enclosure.Length ?? 0).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("type", XmlText.Legal(enclosure.MediaType ?? "application/octet-stream"));
            xml.WriteEndElement();
        }

        // Readers take an RSS description as HTML: the summary is plain text, so its markup characters are escaped.
        xml.WriteElementString("description", XmlText.Legal(EscapeHtml(HtmlCleaner.Summarize(item.BodyText))));
        xml.WriteStartElement("content", "encoded", ContentNs);
        // XmlWriter splits a "]]>" in the text across two CDATA sections itself; splitting it here as well doubled it.
        xml.WriteCData(XmlText.Legal(document.BodyHtml(entry)));
        xml.WriteEndElement();
        XmlText.WriteRelatedLinks(xml, document, entry);

        xml.WriteStartElement("source");
        xml.WriteAttributeString("url", outlet.FeedUrl.AbsoluteUri);
        xml.WriteString(XmlText.Legal(outlet.Name));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static string EscapeHtml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
