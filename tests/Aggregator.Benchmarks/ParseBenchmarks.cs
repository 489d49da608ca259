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
    private HashSet<ulong> _readBefore = [];

    [GlobalSetup]
    public void Setup()
    {
        _bytes = SyntheticFeeds.Render(seed: 1, feed: 1, generation: 0, itemsPerFeed: 50, new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc));
        _text = Encoding.UTF8.GetString(_bytes);
        _next = Encoding.UTF8.GetString(SyntheticFeeds.Render(seed: 1, feed: 1, generation: 1, itemsPerFeed: 50, new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc)));
        _readBefore = [.. RawItems.Find(_text)!.Items.Select(i => Digest(_text, i))];
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
    /// The next fetch of the same feed, 5 of its 50 items new: the items read at the last fetch are found by their
    /// text and left out, the rest parsed (what a refresh does, less the store's in-memory check).
    /// </summary>
    [Benchmark]
    public int ParseNextFetchLeavingOutItemsReadBefore()
    {
        var raw = RawItems.Find(_next)!;
        var left = new List<int>();
        for (var i = 0; i < raw.Items.Count; i++)
        {
            if (_readBefore.Contains(Digest(_next, raw.Items[i])))
            {
                left.Add(i);
            }
        }

        return FeedParser.Parse(raw.Without(_next, left), FeedUrl) is ParseResult.Parsed parsed ? parsed.Feed.Items.Count + left.Count : 0;
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
