using Aggregator.Storage;

namespace Aggregator.Tests.Support;

/// <summary>Puts every new item into one given story (an item's id names the story it tells alone).</summary>
internal sealed class JoinStory(string storyId) : IStoryMatcher
{
    public string? Match(StoredItem item) => storyId;

    public void Remember(StoredItem item)
    {
    }
}
