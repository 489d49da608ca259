using System.Xml;
using System.Xml.Linq;

namespace Aggregator.Opml;

/// <summary>One feed listed in an OPML file: the category is the text of the outline that holds it.</summary>
internal sealed record OpmlFeed(string Title, Uri XmlUrl, Uri? HtmlUrl, string? Category);

/// <summary>The feeds an OPML file lists, and the outlines that could not be used, each with its reason.</summary>
internal sealed record OpmlDocument(string? Title, IReadOnlyList<OpmlFeed> Feeds, IReadOnlyList<string> Ignored);

/// <summary>What reading an OPML file gave: a document, or why the file is not OPML.</summary>
internal sealed record OpmlReadResult(OpmlDocument? Document, string? Error)
{
    public static OpmlReadResult Failed(string error) => new(null, error);
}

/// <summary>Reads OPML 1.0/2.0 subscription lists: outlines with an xmlUrl are feeds, other outlines are folders.</summary>
internal static class OpmlReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        // Subscription lists come from other people's tools: no DTDs, so no entity expansion or external fetches.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    public static OpmlReadResult Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return OpmlReadResult.Failed($"cannot read it: {e.Message}");
        }
    }

    public static OpmlReadResult Read(Stream stream)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            return OpmlReadResult.Failed($"not well-formed XML: {e.Message}");
        }

        var root = document.Root!;
        if (root.Name.LocalName != "opml")
        {
            return OpmlReadResult.Failed($"the root element is <{root.Name.LocalName}>, not <opml>");
        }

        var body = root.Element("body");
        if (body is null)
        {
            return OpmlReadResult.Failed("<opml> has no <body>");
        }

        var feeds = new List<OpmlFeed>();
        var ignored = new List<string>();
        Collect(body, null, feeds, ignored);
        var title = root.Element("head")?.Element("title")?.Value.Trim();
        return new OpmlReadResult(new OpmlDocument(string.IsNullOrEmpty(title) ? null : title, feeds, ignored), null);
    }

    private static void Collect(XElement parent, string? category, List<OpmlFeed> feeds, List<string> ignored)
    {
        foreach (var outline in parent.Elements("outline"))
        {
            var text = Text(outline, "title") ?? Text(outline, "text");
            var xmlUrl = Text(outline, "xmlUrl");
            if (xmlUrl is null)
            {
                // A folder: its feeds take its name as their category.
                Collect(outline, Text(outline, "text") ?? Text(outline, "title") ?? category, feeds, ignored);
                continue;
            }

            if (!Uri.TryCreate(xmlUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                ignored.Add($"line {((IXmlLineInfo)outline).LineNumber}: xmlUrl '{xmlUrl}' is not an http(s) address");
                continue;
            }

            var htmlUrl = Uri.TryCreate(Text(outline, "htmlUrl"), UriKind.Absolute, out var site) ? site : null;
            feeds.Add(new OpmlFeed(text ?? url.Host, url, htmlUrl, category));
            Collect(outline, category, feeds, ignored);
        }
    }

    /// <summary>An attribute's trimmed value, matched without regard to case (exporters write xmlUrl, xmlurl, XMLURL).</summary>
    private static string? Text(XElement outline, string name)
    {
        var value = outline.Attributes().FirstOrDefault(a => string.Equals(a.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
