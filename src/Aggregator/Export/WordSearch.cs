using Aggregator.Deduplication;

namespace Aggregator.Export;

/// <summary>
/// Whether texts hold every one of a search's words, as <see cref="TextNormalizer"/> reads them. A search reads up
/// to <see cref="FeedAssembler.MaxExamined"/> items; the text's words are compared as they are read, not kept
/// (a set of each item's words had the search of a million-item store allocate 440 MB).
/// </summary>
internal sealed class WordSearch
{
    private readonly string[] words;
    private readonly ulong[] hashes;
    private readonly bool[] found;

    public WordSearch(IEnumerable<string> wanted)
    {
        words = [.. wanted.Distinct(StringComparer.Ordinal)];
        hashes = [.. words.Select(w => StableHash.Of(w))];
        found = new bool[words.Length];
    }

    /// <summary>Whether the texts together hold every word. Not thread-safe: one search, one thread.</summary>
    public bool FoundIn(params ReadOnlySpan<string?> texts)
    {
        Array.Clear(found);
        var sink = new Sink(this);
        foreach (var text in texts)
        {
            TextNormalizer.Scan(text, ref sink);
            if (sink.Missing == 0)
            {
                return true;
            }
        }

        return sink.Missing == 0;
    }

    private struct Sink(WordSearch search) : IWordSink
    {
        public int Missing = search.words.Length;

        public void Add(ReadOnlySpan<char> word, ulong hash, bool isNumber, bool isCapitalized, bool startsSentence)
        {
            var hashes = search.hashes;
            for (var i = 0; i < hashes.Length; i++)
            {
                if (hashes[i] == hash && !search.found[i] && word.SequenceEqual(search.words[i]))
                {
                    search.found[i] = true;
                    Missing--;
                }
            }
        }
    }
}
