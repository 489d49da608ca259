using System.Xml.Linq;

namespace Aggregator.Parsing;

/// <summary>Namespaces and lookups on raw feed XML, matched by namespace URI (never by prefix).</summary>
internal static class FeedXml
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace DcTerms = "http://purl.org/dc/terms/";
    public static readonly XNamespace Rss10 = "http://purl.org/rss/1.0/";
    public static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XName XmlBase = XNamespace.Xml + "base";

    /// <summary>The first child with this local name in one of the namespaces, in the order given.</summary>
    public static XElement? Child(XElement parent, string localName, params XNamespace[] namespaces)
    {
        foreach (var ns in namespaces)
        {
            if (parent.Element(ns + localName) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    public static string? ChildText(XElement parent, string localName, params XNamespace[] namespaces)
    {
        var text = Child(parent, localName, namespaces)?.Value.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>The base URI in force at an element: every xml:base from the root down, resolved in turn.</summary>
    public static Uri BaseOf(XElement element, Uri documentUri)
    {
        var bases = element.AncestorsAndSelf()
            .Select(e => e.Attribute(XmlBase)?.Value.Trim())
            .OfType<string>()
            .Reverse();
        var current = documentUri;
        foreach (var value in bases)
        {
            if (Uri.TryCreate(current, value, out var resolved))
            {
                current = resolved;
            }
        }

        return current;
    }

    /// <summary>True when an xml:base is declared on the element or one of its ancestors.</summary>
    public static bool HasBase(XElement element) => element.AncestorsAndSelf().Any(e => e.Attribute(XmlBase) is not null);

    public static Uri? Resolve(Uri baseUri, string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        if (!Uri.TryCreate(baseUri, reference.Trim(), out var resolved))
        {
            return null;
        }

        return resolved.Scheme is "http" or "https" ? resolved : null;
    }
}
