using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

public sealed class ItemStoreConcurrencyTests
{
    private static ItemCandidate Candidate(string identity) =>
        new(identity, "https://x.example/" + identity, "Titre " + identity, null, ["Monde"], [], "<p>Corps</p>", "Corps", null, null);

    /// <summary>
    /// What a fresh service does: /status and the exporter read while the first fetches write. LiteDB 5.0.21 creates a
    /// collection on its first write, and a reader of that collection at that moment failed ("page type must be
    /// collection page") and closed the store for good (litedb-org/LiteDB#2792; seen once in CI).
    /// </summary>
    [Fact]
    public async Task FirstWrites_WhileReadersPollEveryCollection_NoReadFailsAndTheStoreStaysOpen()
    {
        for (var round = 0; round < 40; round++)
        {
            using var data = new TempDirectory();
            using var store = ItemStore.Open(data.Path, TimeProvider.System);
            using var done = new CancellationTokenSource();
            // Threads of their own: spinning on the pool's would starve the writer's continuations.
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    while (!done.IsCancellationRequested)
                    {
                        store.GetState("f");
                        store.IsPurged("x");
                        store.FindStory("x");
                    }
                },
                TestContext.Current.CancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToList();
            await Task.Delay(5, TestContext.Current.CancellationToken);

            await Task.WhenAll(store.UpsertAsync("f", [Candidate("id:1")]), store.SaveStateAsync(new FeedState { Id = "f" }));
            await done.CancelAsync();

            await Task.WhenAll(readers);
            Assert.Single(store.AllStates());
            Assert.Equal(1, store.CountItems());
        }
    }
}
