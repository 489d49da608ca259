using System.Collections.Frozen;

namespace Aggregator.Cleaning;

/// <summary>What the lists below say about one tag, read in one lookup on the cleaner's hot path.</summary>
[Flags]
internal enum TagKind
{
    None = 0,
    Allowed = 1,
    DroppedWithContent = 2,
    LeftOpenOften = 4,
    BlockContainer = 8,
    PhrasingBlock = 16,
    Inline = 32,
}

/// <summary>The allow-lists and deny-lists the cleaner and its final writer share.</summary>
internal static class HtmlVocabulary
{
    public static readonly FrozenSet<string> AllowedElements = FrozenSet.Create(StringComparer.Ordinal,
        "p", "br", "a", "strong", "em", "b", "i", "u", "s", "sub", "sup", "blockquote", "q", "cite", "code", "pre",
        "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
        "figure", "figcaption", "img", "abbr", "time", "hr");

    public static readonly FrozenSet<string> AllowedAttributes = FrozenSet.Create(StringComparer.Ordinal,
        "href", "src", "alt", "title", "width", "height", "colspan", "rowspan", "datetime", "cite");

    public static readonly FrozenSet<string> UrlAttributes = FrozenSet.Create(StringComparer.Ordinal, "href", "src", "cite");

    public static readonly FrozenSet<string> AllowedSchemes = FrozenSet.Create(StringComparer.Ordinal, "http", "https", "mailto");

    /// <summary>Elements whose content is code, chrome or hidden: dropped along with everything inside.</summary>
    public static readonly FrozenSet<string> DroppedWithContent = FrozenSet.Create(StringComparer.Ordinal,
        "script", "style", "iframe", "object", "embed", "applet", "param", "form", "input", "button", "select", "option",
        "optgroup", "textarea", "datalist", "output", "keygen", "svg", "math", "noscript", "template", "link", "meta",
        "base", "frame", "frameset", "noframes", "noembed", "xmp", "plaintext", "title", "head", "canvas", "audio",
        "video", "source", "track", "colgroup", "col", "dialog", "portal");

    /// <summary>Dropped elements often left unclosed, whose parsed content may hold the rest of the page.</summary>
    public static readonly FrozenSet<string> LeftOpenOften = FrozenSet.Create(StringComparer.Ordinal,
        "svg", "math", "audio", "video", "canvas", "object", "applet", "portal", "dialog");

    /// <summary>HTML elements that end svg or math content when a browser meets them inside.</summary>
    public static readonly FrozenSet<string> BreakOut = FrozenSet.Create(StringComparer.Ordinal,
        "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
        "pre", "figure", "hr", "br", "center", "b", "i", "em", "strong", "code", "s", "sub", "sup", "u");

    /// <summary>Unknown block containers: unwrapped, but their edges still separate paragraphs.</summary>
    public static readonly FrozenSet<string> BlockContainers = FrozenSet.Create(StringComparer.Ordinal,
        "div", "section", "article", "main", "header", "footer", "aside", "nav", "center", "address", "details",
        "summary", "fieldset", "legend", "hgroup", "menu", "dir", "caption", "body", "html", "listing", "search");

    /// <summary>Elements that may contain only phrasing content (text and inline elements).</summary>
    public static readonly FrozenSet<string> PhrasingBlocks = FrozenSet.Create(StringComparer.Ordinal,
        "p", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "figcaption");

    public static readonly FrozenSet<string> InlineElements = FrozenSet.Create(StringComparer.Ordinal,
        "a", "strong", "em", "b", "i", "u", "s", "sub", "sup", "q", "cite", "code", "abbr", "time", "br", "img");

    /// <summary>Hosts whose images exist only to count readers.</summary>
    public static readonly FrozenSet<string> TrackerHosts = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "pixel.wp.com", "stats.wordpress.com", "www.google-analytics.com", "google-analytics.com",
        "ssl.google-analytics.com", "pixel.quantserve.com", "sb.scorecardresearch.com", "b.scorecardresearch.com",
        "pi.feedsportal.com", "ad.doubleclick.net", "stats.g.doubleclick.net");

    /// <summary>Host prefixes and host/path prefixes that mark a tracker image.</summary>
    public static readonly string[] TrackerPrefixes = ["stats.", "pixel.", "feeds.feedburner.com/~r", "feeds.feedburner.com/~ff",
        "feeds.feedburner.com/~a", "feeds.feedblitz.com/~/i/", "rss.feedsportal.com/c/", "www.facebook.com/tr"];

    private static readonly FrozenDictionary<string, TagKind> Kinds = BuildKinds();

    public static TagKind KindOf(string tag) => Kinds.GetValueOrDefault(tag);

    private static FrozenDictionary<string, TagKind> BuildKinds()
    {
        var kinds = new Dictionary<string, TagKind>(StringComparer.Ordinal);
        void Mark(IEnumerable<string> tags, TagKind kind)
        {
            foreach (var tag in tags)
            {
                kinds[tag] = kinds.GetValueOrDefault(tag) | kind;
            }
        }

        Mark(AllowedElements, TagKind.Allowed);
        Mark(DroppedWithContent, TagKind.DroppedWithContent);
        Mark(LeftOpenOften, TagKind.LeftOpenOften);
        Mark(BlockContainers, TagKind.BlockContainer);
        Mark(PhrasingBlocks, TagKind.PhrasingBlock);
        Mark(InlineElements, TagKind.Inline);
        return kinds.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
