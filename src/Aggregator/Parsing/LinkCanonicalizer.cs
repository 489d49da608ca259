namespace Aggregator.Parsing;

/// <summary>One spelling per article URL: lower-case scheme and host, no fragment, no tracking parameters.</summary>
internal static class LinkCanonicalizer
{
    public static string Canonicalize(Uri link) => throw new NotImplementedException();
}
