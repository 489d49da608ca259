using System.Text;
using System.Xml;
using Aggregator.Configuration;

namespace Aggregator.Opml;

/// <summary>Writes the configured sources as an OPML 2.0 subscription list, one folder outline per category.</summary>
internal static class OpmlWriter
{
    /// <param name="siteOf">The outlet's site link when a fetch has told it (FeedState.SourceLink), else null.</param>
    public static byte[] Write(string title, IEnumerable<FeedConfig> feeds, Func<string, string?> siteOf)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("opml");
            writer.WriteAttributeString("version", "2.0");
            writer.WriteStartElement("head");
            writer.WriteElementString("title", title);
            writer.WriteEndElement();
            writer.WriteStartElement("body");
            // Categories in the order feeds.json first names them; feeds without one stay at the top level.
            foreach (var group in feeds.GroupBy(f => f.Category))
            {
                if (group.Key is not null)
                {
                    writer.WriteStartElement("outline");
                    writer.WriteAttributeString("text", group.Key);
                    writer.WriteAttributeString("title", group.Key);
                }

                foreach (var feed in group)
                {
                    WriteFeed(writer, feed, siteOf(feed.Id));
                }

                if (group.Key is not null)
                {
                    writer.WriteEndElement();
                }
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return stream.ToArray();
    }

    private static void WriteFeed(XmlWriter writer, FeedConfig feed, string? site)
    {
        writer.WriteStartElement("outline");
        writer.WriteAttributeString("type", "rss");
        writer.WriteAttributeString("text", feed.Name);
        writer.WriteAttributeString("title", feed.Name);
        writer.WriteAttributeString("xmlUrl", feed.Url.AbsoluteUri);
        if (site is not null)
        {
            writer.WriteAttributeString("htmlUrl", site);
        }

        writer.WriteAttributeString("language", feed.Language);
        writer.WriteEndElement();
    }
}
