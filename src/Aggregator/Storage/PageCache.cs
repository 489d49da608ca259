using System.Reflection;
using LiteDB;

namespace Aggregator.Storage;

/// <summary>
/// LiteDB's page cache: how it grows, and how large it is. LiteDB 5.0.21 allocates the cache in segments of 12, 50,
/// 100 and 500 pages, then 1,000 pages (8 MB) at a time, and never frees one. It reuses idle cached pages instead of
/// growing only while more of them are idle than the next segment holds: with 1,000-page segments, a write that
/// walked a million-entry index (each page it walks is copied for the transaction) added 8 MB that stayed resident
/// for the life of the process. With 200-page segments the cache grows to what its busiest transaction holds and
/// little more: 21 MB at a million items became 11 to 13 MB (the memory probe; tests/Aggregator.Benchmarks/HISTORY.md).
/// </summary>
internal static class PageCache
{
    /// <summary>The segments the cache grows by, in pages of 8 KB: LiteDB's first three, then 200 pages (1.6 MB).</summary>
    public static readonly IReadOnlyList<int> SegmentPages = [12, 50, 100, 200, 200];

    private const int PageBytes = 8192;

    // Set by the type's initializer, once per process, before the first engine that calls Configure opens.
    private static readonly bool Applied = Apply();

    /// <summary>
    /// Makes the engines opened from now on grow their caches by <see cref="SegmentPages"/>. LiteDB reads the sizes
    /// from a static field when an engine opens and exposes no setting for them; if a LiteDB version without the
    /// field is ever used, the engines keep their own sizes and nothing else changes.
    /// </summary>
    public static void Configure() => _ = Applied;

    private static bool Apply()
    {
        var field = typeof(LiteDatabase).Assembly.GetType("LiteDB.Constants")?.GetField("MEMORY_SEGMENT_SIZES", BindingFlags.Public | BindingFlags.Static);
        if (field is not { IsInitOnly: false } || field.FieldType != typeof(int[]))
        {
            return false;
        }

        field.SetValue(null, SegmentPages.ToArray());
        return true;
    }

    /// <summary>Bytes of cache the engine has allocated (pages in use, cached or free), as LiteDB reports it in <c>$database</c>.</summary>
    public static long Bytes(LiteDatabase database)
    {
        using var reader = database.Execute("SELECT $.cache.extendPages FROM $database");
        return reader.Read() && reader.Current.IsDocument && reader.Current.AsDocument.Values.FirstOrDefault() is { IsNumber: true } pages
            ? pages.AsInt64 * PageBytes
            : 0;
    }
}
