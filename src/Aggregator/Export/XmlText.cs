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

    public static string Rfc3339(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rfc822(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public static XmlWriterSettings WriterSettings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        NewLineChars = "\n",
    };
}
