using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using Aggregator.Cleaning;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;

namespace Aggregator.Parsing;

/// <summary>
/// Turns decoded feed text into items. CodeHollow.FeedReader finds the feed's kind and its items; bodies,
/// types, dates and links are read from the raw elements because the library decodes HTML twice, parses
/// dates with the process culture, matches namespaces by prefix and ignores xml:base.
/// </summary>
internal static class FeedParser
{
    // IgnoreWhitespace as XDocument.Parse, which the library used, so that element values read the same.
    private static readonly XmlReaderSettings SafeSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    public static ParseResult Parse(string text, Uri feedUrl)
    {
        var (document, problem) = Load(text);
        if (document is null)
        {
            return new ParseResult.Failed(problem!);
        }

        Feed feed;
        try
        {
            feed = FeedOf(text, document);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ParseResult.Failed($"not a feed: {e.Message}");
        }

        var root = feed.SpecificFeed?.Element;
        if (root is null)
        {
            return new ParseResult.Failed("not an RSS or Atom document");
        }

        var isAtom = feed.Type == FeedType.Atom;
        var feedBase = FeedXml.BaseOf(root, feedUrl);
        var siteLink = isAtom ? AtomAlternateLink(root, feedUrl) : FeedXml.Resolve(feedBase, RssChannelLink(root));
        var itemBase = isAtom ? feedBase : siteLink ?? feedBase;
        var feedAuthor = isAtom ? AtomAuthor(root) : null;

        var items = new List<ParsedItem>(feed.Items.Count);
        foreach (var element in feed.Items.Select(i => i.SpecificItem?.Element).OfType<XElement>())
        {
            items.Add(isAtom ? ReadAtomEntry(element, feedUrl, feedAuthor) : ReadRssItem(element, itemBase));
        }

        var title = isAtom
            ? AtomText(FeedXml.Child(root, "title", FeedXml.Atom))
            : HtmlCleaner.PlainText(FeedXml.ChildText(RssChannel(root), "title", XNamespace.None, FeedXml.Rss10));
        var hint = FeedHints.UpdateInterval(isAtom ? root : RssChannel(root));
        return new ParseResult.Parsed(new ParsedFeed(NullIfEmpty(title), siteLink, items)
        {
            UpdateHint = hint,
            ItemContext = string.Join('\n', feed.Type, feedUrl.AbsoluteUri, itemBase?.AbsoluteUri, feedAuthor),
        });
    }

    /// <summary>
    /// The document, read once with DTDs prohibited (no entity expansion, no external fetches), or why it is not
    /// well-formed. U+FEFF is removed anywhere first, as the library did before its own read, so bodies read the same.
    /// </summary>
    private static (XDocument? Document, string? Problem) Load(string text)
    {
        try
        {
            var cleaned = text.Contains('\uFEFF', StringComparison.Ordinal) ? text.Replace("\uFEFF", "", StringComparison.Ordinal) : text;
            using var reader = XmlReader.Create(new StringReader(cleaned), SafeSettings);
            return (XDocument.Load(reader), null);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "DTD refused: feeds must not declare a document type");
        }
        catch (XmlException e)
        {
            return (null, $"malformed XML: {e.Message}");
        }
    }

    /// <summary>The library's feed over the document already read: its kind found as the library finds it (by the root's name and the RSS version).</summary>
    private static Feed FeedOf(string text, XDocument document)
    {
        var root = document.Root ?? throw new XmlException("no root element");
        var name = root.Name.LocalName;
        if (name.Equals("feed", StringComparison.OrdinalIgnoreCase))
        {
            return new Feed(new AtomFeed(text, root)) { Type = FeedType.Atom };
        }

        var channel = root.Elements().FirstOrDefault(e => e.Name.LocalName.Equals("channel", StringComparison.OrdinalIgnoreCase))
            ?? throw new XmlException($"{name} without a channel");
        if (name.Equals("rdf", StringComparison.OrdinalIgnoreCase))
        {
            return new Feed(new Rss10Feed(text, channel)) { Type = FeedType.Rss_1_0 };
        }

        if (!name.Equals("rss", StringComparison.OrdinalIgnoreCase))
        {
            throw new XmlException($"unknown feed type {name}");
        }

        var version = root.Attribute("version")?.Value ?? throw new XmlException("rss without a version");
        return version.ToUpperInvariant() switch
        {
            "0.91" => new Feed(new Rss091Feed(text, channel)) { Type = FeedType.Rss_0_91 },
            "0.92" => new Feed(new Rss092Feed(text, channel)) { Type = FeedType.Rss_0_92 },
            "2.0" => new Feed(new Rss20Feed(text, channel)) { Type = FeedType.Rss_2_0 },
            _ => new Feed(new Rss20Feed(text, channel)) { Type = FeedType.Rss },
        };
    }

    private static ParsedItem ReadRssItem(XElement item, Uri itemBase)
    {
        XNamespace[] rss = [XNamespace.None, FeedXml.Rss10];
        var baseUri = FeedXml.BaseOf(item, itemBase);
        var guidElement = FeedXml.Child(item, "guid", rss);
        var guid = NullIfEmpty(guidElement?.Value.Trim()) ?? NullIfEmpty(item.Attribute(FeedXml.Rdf + "about")?.Value.Trim());
        var link = FeedXml.Resolve(baseUri, FeedXml.ChildText(item, "link", rss));
        if (link is null && guidElement is not null && guidElement.Attribute("isPermaLink")?.Value.Trim() != "false")
        {
            link = FeedXml.Resolve(baseUri, guid);
        }

        var body = FeedXml.Child(item, "encoded", FeedXml.Content) ?? FeedXml.Child(item, "description", rss);
        return new ParsedItem
        {
            SourceId = guid,
            Link = link,
            Title = HtmlCleaner.PlainText(FeedXml.ChildText(item, "title", rss) ?? FeedXml.ChildText(item, "title", FeedXml.Dc)),
            Published = Date(item, ("pubDate", XNamespace.None), ("date", FeedXml.Dc), ("published", FeedXml.Atom), ("issued", FeedXml.DcTerms)),
            Updated = Date(item, ("updated", FeedXml.Atom), ("modified", FeedXml.DcTerms)),
            Author = RssAuthor(item),
            Categories = Distinct(item.Elements().Where(e => e.Name.LocalName is "category" && (e.Name.Namespace == XNamespace.None || e.Name.Namespace == FeedXml.Rss10) || e.Name == FeedXml.Dc + "subject").Select(e => e.Value)),
            Enclosures = item.Elements("enclosure").Select(e => MakeEnclosure(baseUri, e.Attribute("url")?.Value, e.Attribute("type")?.Value, e.Attribute("length")?.Value)).OfType<Enclosure>().ToList(),
            BodyHtml = body?.Value ?? "",
            BodyBase = body is not null && FeedXml.HasBase(body) ? FeedXml.BaseOf(body, itemBase) : link ?? baseUri,
        };
    }

    private static ParsedItem ReadAtomEntry(XElement entry, Uri feedUrl, string? feedAuthor)
    {
        var baseUri = FeedXml.BaseOf(entry, feedUrl);
        var link = AtomAlternateLink(entry, feedUrl);
        var body = FeedXml.Child(entry, "content", FeedXml.Atom) is { } content && content.Attribute("src") is null
            ? content
            : FeedXml.Child(entry, "summary", FeedXml.Atom);
        var published = Date(entry, ("published", FeedXml.Atom), ("issued", FeedXml.Atom), ("date", FeedXml.Dc));
        var updated = Date(entry, ("updated", FeedXml.Atom), ("modified", FeedXml.Atom));
        return new ParsedItem
        {
            SourceId = FeedXml.ChildText(entry, "id", FeedXml.Atom),
            Link = link,
            Title = AtomText(FeedXml.Child(entry, "title", FeedXml.Atom)),
            Published = published ?? updated,
            Updated = updated,
            Author = AtomAuthor(entry) ?? (FeedXml.Child(entry, "source", FeedXml.Atom) is { } source ? AtomAuthor(source) : null) ?? feedAuthor,
            Categories = Distinct(entry.Elements(FeedXml.Atom + "category").Select(c => c.Attribute("label")?.Value ?? c.Attribute("term")?.Value)),
            Enclosures = entry.Elements(FeedXml.Atom + "link")
                .Where(l => l.Attribute("rel")?.Value.Trim() == "enclosure")
                .Select(l => MakeEnclosure(FeedXml.BaseOf(l, feedUrl), l.Attribute("href")?.Value, l.Attribute("type")?.Value, l.Attribute("length")?.Value))
                .OfType<Enclosure>()
                .ToList(),
            BodyHtml = body is null ? "" : AtomHtml(body),
            BodyBase = body is not null && FeedXml.HasBase(body) ? FeedXml.BaseOf(body, feedUrl) : link ?? baseUri,
        };
    }

    private static XElement RssChannel(XElement root) => FeedXml.Child(root, "channel", XNamespace.None, FeedXml.Rss10) ?? root;

    private static string? RssChannelLink(XElement root) => FeedXml.ChildText(RssChannel(root), "link", XNamespace.None, FeedXml.Rss10);

    private static Uri? AtomAlternateLink(XElement element, Uri feedUrl)
    {
        var links = element.Elements(FeedXml.Atom + "link")
            .Where(l => (l.Attribute("rel")?.Value.Trim() ?? "alternate") == "alternate")
            .OrderByDescending(l => l.Attribute("type")?.Value.Contains("html", StringComparison.OrdinalIgnoreCase) ?? true);
        return links.Select(l => FeedXml.Resolve(FeedXml.BaseOf(l, feedUrl), l.Attribute("href")?.Value)).FirstOrDefault(u => u is not null);
    }

    /// <summary>An Atom text construct as plain text, by its type.</summary>
    private static string AtomText(XElement? element) => element is null
        ? ""
        : AtomType(element) == "html" ? HtmlCleaner.PlainText(element.Value) : Fold(element.Value);

    /// <summary>An Atom text construct as HTML: html is taken as is, xhtml serialised, text escaped.</summary>
    private static string AtomHtml(XElement element) => AtomType(element) switch
    {
        "html" => element.Value,
        "xhtml" => element.Element(FeedXml.Xhtml + "div") is { } div
            ? string.Concat(div.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)))
            : string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))),
        _ => WebUtility.HtmlEncode(element.Value.Trim()).Replace("\n", "<br>", StringComparison.Ordinal),
    };

    private static string AtomType(XElement element) => element.Attribute("type")?.Value.Trim().ToLowerInvariant() switch
    {
        "html" or "text/html" => "html",
        "xhtml" or "application/xhtml+xml" => "xhtml",
        _ => "text",
    };

    private static string? AtomAuthor(XElement element) =>
        NullIfEmpty(string.Join(", ", element.Elements(FeedXml.Atom + "author")
            .Select(a => FeedXml.ChildText(a, "name", FeedXml.Atom) ?? FeedXml.ChildText(a, "email", FeedXml.Atom))
            .OfType<string>()
            .Select(Fold)));

    private static string? RssAuthor(XElement item)
    {
        var creators = item.Elements(FeedXml.Dc + "creator").Select(e => Fold(e.Value)).Where(s => s.Length > 0).ToList();
        if (creators.Count > 0)
        {
            return string.Join(", ", creators);
        }

        // RSS 2.0 <author> is an e-mail address, often "news@example.com (Jean Dupont)": prefer the name.
        var author = FeedXml.ChildText(item, "author", XNamespace.None);
        if (author is null)
        {
            return null;
        }

        var open = author.IndexOf('(', StringComparison.Ordinal);
        var close = author.LastIndexOf(')');
        return open >= 0 && close > open + 1 ? Fold(author[(open + 1)..close]) : Fold(author);
    }

    private static DateTimeOffset? Date(XElement element, params (string Name, XNamespace Ns)[] candidates)
    {
        foreach (var (name, ns) in candidates)
        {
            if (DateParser.Parse(element.Element(ns + name)?.Value) is { } date)
            {
                return date;
            }
        }

        return null;
    }

    private static Enclosure? MakeEnclosure(Uri baseUri, string? url, string? type, string? length)
    {
        var resolved = FeedXml.Resolve(baseUri, url);
        if (resolved is null)
        {
            return null;
        }

        long? size = long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : null;
        return new Enclosure(resolved, NullIfEmpty(type?.Trim()), size);
    }

    private static List<string> Distinct(IEnumerable<string?> values) =>
        values.Select(v => HtmlCleaner.PlainText(v)).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    // Folds ASCII whitespace only: French non-breaking spaces before « : ; ! ? » are typography, not layout.
    private static string Fold(string text) => string.Join(' ', text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
