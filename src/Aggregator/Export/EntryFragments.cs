using System.Runtime.CompilerServices;
using Aggregator.Configuration;

namespace Aggregator.Export;

/// <summary>
/// Each entry's rendering in each format, kept with the entry. After a change of the store most of a page's
/// entries are the same objects as before (the assembler reuses them until their story moves), so a render
/// copies their bytes instead of writing 3 KB bodies through an XML or JSON writer again.
/// </summary>
/// <remarks>
/// An entry's text depends only on the entry, the outlets (names, addresses) and the output settings, so a
/// kept rendering stands while those are the same objects. Renderings go when their entry is collected.
/// </remarks>
internal static class EntryFragments
{
    private static readonly ConditionalWeakTable<StoryEntry, Fragment?[]> Kept = new();

    /// <summary>Every entry of a document, rendered or kept, in order.</summary>
    public static byte[][] All(FeedDocument document, ExportFormat format, Func<FeedDocument, StoryEntry, byte[]> render) =>
        [.. document.Entries.Select(entry => Of(entry, format, document, render))];

    /// <summary>Room for the entries and the feed's own elements around them: the body is written without growing its buffer.</summary>
    public static int Capacity(byte[][] entries) => entries.Sum(e => e.Length) + 16 * 1024;

    /// <summary>The bytes of <paramref name="entry"/> in <paramref name="format"/>, rendered by <paramref name="render"/> when not kept.</summary>
    public static byte[] Of(StoryEntry entry, ExportFormat format, FeedDocument document, Func<FeedDocument, StoryEntry, byte[]> render)
    {
        var slots = Kept.GetValue(entry, _ => new Fragment?[3]);
        var kept = Volatile.Read(ref slots[(int)format]);
        if (kept is not null && ReferenceEquals(kept.Outlets, document.Outlets) && ReferenceEquals(kept.Output, document.Output))
        {
            return kept.Bytes;
        }

        var bytes = render(document, entry);
        Volatile.Write(ref slots[(int)format], new Fragment(document.Outlets, document.Output, bytes));
        return bytes;
    }

    /// <summary>
    /// The bytes of the one <paramref name="element"/> written inside a wrapper document, with the line break and
    /// indentation before it: what the same writer would have put at that place in the whole feed.
    /// </summary>
    public static byte[] SliceElement(ReadOnlySpan<byte> document, ReadOnlySpan<byte> element)
    {
        Span<byte> open = stackalloc byte[element.Length + 1];
        Span<byte> close = stackalloc byte[element.Length + 3];
        open[0] = (byte)'<';
        element.CopyTo(open[1..]);
        "</"u8.CopyTo(close);
        element.CopyTo(close[2..]);
        close[^1] = (byte)'>';
        var start = document.IndexOf(open);
        var end = document.LastIndexOf(close) + close.Length;
        while (start > 0 && document[start - 1] is (byte)' ' or (byte)'\n')
        {
            start--;
        }

        return document[start..end].ToArray();
    }

    private sealed record Fragment(IReadOnlyDictionary<string, Outlet> Outlets, OutputSettings Output, byte[] Bytes);
}
