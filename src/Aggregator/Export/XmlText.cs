using System.Globalization;
using System.Text;
using System.Xml;

namespace Aggregator.Export;

/// <summary>Helpers for writing feed XML: legal characters only, RFC 3339 and RFC 822 dates.</summary>
internal static class XmlText
{
    /// <summary>Drops characters XML 1.0 forbids (control characters leak from outlets' CMSs).</summary>
    public static string Legal(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!text.AsSpan().ContainsAnyExceptInRange('\u0020', '\uD7FF'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>An atom:link rel="related" per other outlet's copy of the story (Atom entries and RSS items alike).</summary>
    public static void WriteRelatedLinks(XmlWriter xml, FeedDocument document, StoryEntry entry)
    {
        foreach (var related in entry.Related.Where(r => r.Link is not null))
        {
            // Takes the prefix already declared for the Atom namespace: none in Atom, "atom" in RSS.
            xml.WriteStartElement("link", "http://www.w3.org/2005/Atom");
            xml.WriteAttributeString("rel", "related");
            xml.WriteAttributeString("type", "text/html");
            xml.WriteAttributeString("href", related.Link);
            xml.WriteAttributeString("title", Legal($"{document.OutletOf(related).Name} : {related.Title}"));
            xml.WriteEndElement();
        }
    }

    /// <summary>
    /// The feed-level atom:links every variant carries: self, the WebSub hub, and the RFC 5005 history links
    /// (next and prev-archive to older stories; previous, next-archive and current on an archive page).
    /// </summary>
    public static void WriteFeedLinks(XmlWriter xml, FeedDocument document, ExportFormat format)
    {
        var mediaType = FeedFormats.ContentType(format).Split(';')[0];
        WriteLink(xml, "self", mediaType, document.SelfLink(format));
        if (document.Output.Hub is { } hub)
        {
            WriteLink(xml, "hub", null, hub);
        }

        if (document.IsArchive)
        {
            WriteLink(xml, "current", mediaType, document.CurrentLink(format));
        }

        if (document.OlderLink(format) is { } older)
        {
            WriteLink(xml, "next", mediaType, older);
            WriteLink(xml, "prev-archive", mediaType, older);
        }

        if (document.NewerLink(format) is { } newer)
        {
            WriteLink(xml, "previous", mediaType, newer);
            WriteLink(xml, "next-archive", mediaType, newer);
        }

        if (document.IsArchive)
        {
            // Tells a reader this page is complete: it may keep it and need not fetch it again.
            xml.WriteStartElement("fh", "archive", HistoryNs);
            xml.WriteEndElement();
        }
    }

    /// <summary>The namespace of RFC 5005 (feed paging and archiving).</summary>
    public const string HistoryNs = "http://purl.org/syndication/history/1.0";

    public const string AtomNs = "http://www.w3.org/2005/Atom";

    private static void WriteLink(XmlWriter xml, string rel, string? type, Uri href)
    {
        xml.WriteStartElement("link", AtomNs);
        xml.WriteAttributeString("rel", rel);
        if (type is not null)
        {
            xml.WriteAttributeString("type", type);
        }

        xml.WriteAttributeString("href", href.AbsoluteUri);
        xml.WriteEndElement();
    }

    public static string Rfc3339(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rfc822(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public static XmlWriterSettings WriterSettings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        NewLineChars = "\n",
    };

    /// <summary>The same writing, for an entry rendered on its own inside a wrapper (no declaration).</summary>
    public static XmlWriterSettings FragmentSettings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        NewLineChars = "\n",
        OmitXmlDeclaration = true,
    };
}
