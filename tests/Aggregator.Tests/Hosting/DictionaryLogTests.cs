using Aggregator.Hosting;

namespace Aggregator.Tests.Hosting;

/// <summary>What the commands and the service say when the store's body dictionary could not be trained or saved.</summary>
public sealed class DictionaryLogTests
{
    [Fact]
    public void Line_AFailureThatWillBeTriedAgain_NamesTheCauseAndTheFallback() =>
        Assert.Equal(
            "warning: the store's body dictionary could not be trained or saved (disque plein); bodies stay packed by Brotli until another try",
            DictionaryLog.Line(new IOException("disque plein"), retrying: true));

    [Fact]
    public void Line_TheLastFailure_SaysNoMoreTriesAreMade() =>
        Assert.EndsWith("bodies stay packed by Brotli (four tries made)", DictionaryLog.Line(new IOException("disque plein"), retrying: false));
}
