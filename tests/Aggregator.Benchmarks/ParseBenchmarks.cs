using System.Text;
using System.Xml;
using Aggregator.Fetching;
using Aggregator.Hosting;
using Aggregator.Parsing;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks;

/// <summary>Decoding and parsing a 50-item, ~200 KB French feed, beside its floor: an XmlReader over the same bytes.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private static readonly Uri FeedUrl = new("https://agence1.example/rss.xml");
    private byte[] _bytes = [];
    private string _text = "";
    private string _next = "";
    private byte[] _nextBytes = [];
    private HashSet<ulong> _readBefore = [];
    private HashSet<ulong> _readBeforeText = [];

    [GlobalSetup]
    public void Setup()
    {
        _bytes = SyntheticFeeds.Render(seed: 1, feed: 1, generation: 0, itemsPerFeed: 50, new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc));
        _text = Encoding.UTF8.GetString(_bytes);
        _nextBytes = SyntheticFeeds.Render(seed: 1, feed: 1, generation: 1, itemsPerFeed: 50, new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc));
        _next = Encoding.UTF8.GetString(_nextBytes);
        _readBefore = [.. RawItems.Find(_bytes.AsSpan())!.Items.Select(i => System.IO.Hashing.XxHash3.HashToUInt64(_bytes.AsSpan(i.Start, i.Length)))];
        _readBeforeText = [.. RawItems.Find(_text)!.Items.Select(i => Digest(_text, i))];
    }

    private static ulong Digest(string text, (int Start, int Length) item) =>
        System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan(item.Start, item.Length)));

    [Benchmark]
    public int DecodeAndParse()
    {
        var decoded = FeedDecoder.Decode(_bytes, "utf-8");
        return FeedParser.Parse(decoded.Text, FeedUrl) is ParseResult.Parsed parsed ? parsed.Feed.Items.Count : 0;
    }

    [Benchmark]
    public int Parse() => FeedParser.Parse(_text, FeedUrl) is ParseResult.Parsed parsed ? parsed.Feed.Items.Count : 0;

    /// <summary>
    /// The next fetch of the same feed, 5 of its 50 items new, from the bytes as fetched: the items read at the last
    /// fetch are found by their UTF-8 text and left out undecoded, the rest decoded and parsed (what a refresh does,
    /// less the store's in-memory check).
    /// </summary>
    [Benchmark]
    public int ParseNextFetchLeavingOutItemsReadBefore()
    {
        var raw = RawItems.Find(_nextBytes.AsSpan())!;
        var left = new List<int>();
        for (var i = 0; i < raw.Items.Count; i++)
        {
            var (start, length) = raw.Items[i];
            if (_readBefore.Contains(System.IO.Hashing.XxHash3.HashToUInt64(_nextBytes.AsSpan(start, length))))
            {
                left.Add(i);
            }
        }

        return FeedParser.Parse(raw.Without(_nextBytes, left), FeedUrl) is ParseResult.Parsed parsed ? parsed.Feed.Items.Count + left.Count : 0;
    }

    /// <summary>The same as a refresh did it before: the whole document decoded, its items found and left out in the text.</summary>
    [Benchmark]
    public int DecodeThenParseNextFetchLeavingOutItemsReadBefore()
    {
        var text = FeedDecoder.Decode(_nextBytes, "utf-8").Text;
        var raw = RawItems.Find(text)!;
        var left = new List<int>();
        for (var i = 0; i < raw.Items.Count; i++)
        {
            if (_readBeforeText.Contains(Digest(text, raw.Items[i])))
            {
                left.Add(i);
            }
        }

        return FeedParser.Parse(raw.Without(text, left), FeedUrl) is ParseResult.Parsed parsed ? parsed.Feed.Items.Count + left.Count : 0;
    }

    /// <summary>The floor: every node read once, text values materialised, nothing built.</summary>
    [Benchmark(Baseline = true)]
    public int XmlReaderFloor()
    {
        using var reader = XmlReader.Create(new MemoryStream(_bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        var length = 0;
        while (reader.Read())
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
            {
                length += reader.Value.Length;
            }
        }

        return length;
    }
}
