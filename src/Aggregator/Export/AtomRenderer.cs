using System.Globalization;
using System.Xml;
using Aggregator.Cleaning;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>Writes the combined feed as Atom 1.0 (RFC 4287).</summary>
internal static class AtomRenderer
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";

    public static byte[] Render(FeedDocument document)
    {
        var entries = EntryFragments.All(document, ExportFormat.Atom, RenderEntry);
        using var buffer = new MemoryStream(EntryFragments.Capacity(entries));
        using (var xml = XmlWriter.Create(buffer, XmlText.WriterSettings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", AtomNs);
            xml.WriteAttributeString("xmlns", "fh", null, XmlText.HistoryNs);
            xml.WriteAttributeString("xml", "lang", null, document.Output.Language);
            // Every page of a variant is the same feed: its id is the subscription document's address.
            xml.WriteElementString("id", AtomNs, document.CurrentLink(ExportFormat.Atom).AbsoluteUri);
            WriteText(xml, "title", document.Title);
            xml.WriteElementString("updated", AtomNs, XmlText.Rfc3339(document.Updated));
            XmlText.WriteFeedLinks(xml, document, ExportFormat.Atom);
            WriteLink(xml, "alternate", "text/html", document.Output.Link.AbsoluteUri);
            xml.WriteStartElement("author", AtomNs);
            xml.WriteElementString("name", AtomNs, XmlText.Legal(document.Output.Title));
            xml.WriteElementString("uri", AtomNs, document.Output.Link.AbsoluteUri);
            xml.WriteEndElement();
            xml.WriteStartElement("generator", AtomNs);
            xml.WriteAttributeString("version", typeof(AtomRenderer).Assembly.GetName().Version?.ToString(3));
            xml.WriteString("Aggregator");
            xml.WriteEndElement();
            xml.Flush();
            foreach (var entry in entries)
            {
                buffer.Write(entry);
            }

            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }

    /// <summary>One entry as the whole feed would hold it: written inside a feed element, then cut out.</summary>
    private static byte[] RenderEntry(FeedDocument document, StoryEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, XmlText.FragmentSettings))
        {
            xml.WriteStartElement("feed", AtomNs);
            WriteEntry(xml, document, entry);
            xml.WriteEndElement();
        }

        return EntryFragments.SliceElement(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "entry"u8);
    }

    private static void WriteEntry(XmlWriter xml, FeedDocument document, StoryEntry entry)
    {
        var item = entry.Item;
        var outlet = document.OutletOf(item);
        xml.WriteStartElement("entry", AtomNs);
        xml.WriteElementString("id", AtomNs, FeedDocument.EntryId(entry.Id));
        WriteText(xml, "title", item.Title);
        if (item.Link is not null)
        {
            WriteLink(xml, "alternate", "text/html", item.Link);
        }

        XmlText.WriteRelatedLinks(xml, document, entry);

        xml.WriteElementString("published", AtomNs, XmlText.Rfc3339(entry.Published));
        xml.WriteElementString("updated", AtomNs, XmlText.Rfc3339(entry.Updated));
        xml.WriteStartElement("author", AtomNs);
        xml.WriteElementString("name", AtomNs, XmlText.Legal(item.Author ?? outlet.Name));
        xml.WriteEndElement();
        foreach (var category in item.Categories)
        {
            xml.WriteStartElement("category", AtomNs);
            xml.WriteAttributeString("term", XmlText.Legal(category));
            xml.WriteEndElement();
        }

        foreach (var enclosure in item.Enclosures)
        {
            xml.WriteStartElement("link", AtomNs);
            xml.WriteAttributeString("rel", "enclosure");
            xml.WriteAttributeString("href", enclosure.Url);
            if (enclosure.MediaType is not null)
            {
                xml.WriteAttributeString("type", XmlText.Legal(enclosure.MediaType));
            }

            if (enclosure.Length is { } length)
            {
                xml.WriteAttributeString("length", length.ToString(CultureInfo.InvariantCulture));
            }

            xml.WriteEndElement();
        }

        if (item.BodyText.Length > 0)
        {
            WriteText(xml, "summary", HtmlCleaner.Summarize(item.BodyText));
        }

        xml.WriteStartElement("content", AtomNs);
        xml.WriteAttributeString("type", "html");
        xml.WriteString(XmlText.Legal(document.BodyHtml(entry)));
        xml.WriteEndElement();
        WriteSource(xml, outlet);
        xml.WriteEndElement();
    }

    private static void WriteSource(XmlWriter xml, Outlet outlet)
    {
        xml.WriteStartElement("source", AtomNs);
        xml.WriteElementString("id", AtomNs, outlet.FeedUrl.AbsoluteUri);
        WriteText(xml, "title", outlet.Name);
        WriteLink(xml, "self", null, outlet.FeedUrl.AbsoluteUri);
        if (outlet.SiteLink is not null)
        {
            WriteLink(xml, "alternate", "text/html", outlet.SiteLink.AbsoluteUri);
        }

        xml.WriteEndElement();
    }

    private static void WriteText(XmlWriter xml, string name, string text)
    {
        xml.WriteStartElement(name, AtomNs);
        xml.WriteAttributeString("type", "text");
        xml.WriteString(XmlText.Legal(text));
        xml.WriteEndElement();
    }

    private static void WriteLink(XmlWriter xml, string rel, string? type, string href)
    {
        xml.WriteStartElement("link", AtomNs);
        xml.WriteAttributeString("rel", rel);
        if (type is not null)
        {
            xml.WriteAttributeString("type", type);
        }

        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }
}
