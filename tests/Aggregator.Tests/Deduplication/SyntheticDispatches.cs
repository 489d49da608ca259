using Aggregator.Cleaning;
using Aggregator.Hosting;

namespace Aggregator.Tests.Deduplication;

/// <summary>The bench's synthetic dispatches, cleaned, with copies: what the index proposes many candidates among.</summary>
internal static class SyntheticDispatches
{
    /// <summary>
    /// The bench's dispatches, cleaned, published over the last day; every <paramref name="copyEvery"/>th is sent again
    /// by another outlet an hour later, cut after its first half.
    /// </summary>
    public static IEnumerable<(string Id, string Title, string Text, DateTimeOffset Published)> Of(int feeds, int perFeed, int copyEvery, DateTimeOffset now)
    {
        var cleaner = new HtmlCleaner();
        var anchor = now.UtcDateTime.AddHours(-26);
        var copies = new List<(string, string, string, DateTimeOffset)>();
        for (var item = 0; item < perFeed; item++)
        {
            for (var feed = 0; feed < feeds; feed++)
            {
                var published = anchor.AddMinutes((item * 7.0) + feed);
                var text = cleaner.Clean(SyntheticFeeds.Body(SyntheticFeeds.RandomFor(1, feed, item), feed, item, published), null).Text;
                var title = $"Dépêche {feed}-{item}";
                yield return ($"{feed}-{item}", title, text, published);
                if ((feed + item) % copyEvery == 0)
                {
                    copies.Add(($"copy-{feed}-{item}", title, text[..(text.Length / 2)], published.AddHours(1)));
                }
            }
        }

        foreach (var copy in copies)
        {
            yield return copy;
        }
    }
}
