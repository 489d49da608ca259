using System.Xml;
using Aggregator.Configuration;

namespace Aggregator.Export;

/// <summary>Writes the enabled sources as OPML 2.0, so a reader can subscribe to the outlets one by one.</summary>
internal static class FeedListOpml
{
    public static byte[] Render(AggregatorConfig config)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, XmlText.WriterSettings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("opml");
            xml.WriteAttributeString("version", "2.0");
            xml.WriteStartElement("head");
            xml.WriteElementString("title", XmlText.Legal(config.Output.Title));
            xml.WriteEndElement();
            xml.WriteStartElement("body");
            foreach (var feed in config.EnabledFeeds)
            {
                xml.WriteStartElement("outline");
                xml.WriteAttributeString("type", "rss");
                xml.WriteAttributeString("text", XmlText.Legal(feed.Name));
                xml.WriteAttributeString("title", XmlText.Legal(feed.Name));
                xml.WriteAttributeString("xmlUrl", feed.Url.AbsoluteUri);
                if (feed.Category is not null)
                {
                    xml.WriteAttributeString("category", XmlText.Legal(feed.Category));
                }

                xml.WriteAttributeString("language", feed.Language);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }
}
