using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Aggregator.Export;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Storage;

/// <summary>
/// The service killed with SIGKILL in the middle of a pass, again and again: the store must open after each kill,
/// keep everything committed before it, and the next pass must complete.
/// </summary>
public sealed class ItemStoreDurabilityTests : IAsyncLifetime
{
    /// <summary>More than the service fetches at once, so some feeds wait for a free slot.</summary>
    private const int FeedCount = SchedulingServices.MaxConcurrentFetches + 4;
    private const int ItemsPerResponse = 30;

    /// <summary>Each response slides the feed's window by this many items, so every pass brings new ones.</summary>
    private const int ItemsAddedPerResponse = 4;

    private const int Kills = 6;
    private static readonly DateTime Epoch = TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-2);
    private readonly TempDirectory folder = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly int[] requests = new int[FeedCount];
    private readonly int[] lastServed = Enumerable.Repeat(-1, FeedCount).ToArray();
    private readonly Random random = new(Seed);
    private FixtureServer server = null!;
    private int inFlight;

    private static int Seed { get; } = Environment.TickCount;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app => app.MapGet("/feeds/{n:int}.xml", async (int n) =>
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                var request = Interlocked.Increment(ref requests[n]) - 1;
                // Slow answers, each feed slower than the last, so the first commits come while later feeds still download.
                await Task.Delay((n * 600) + Random.Shared.Next(100, 900));
                lock (lastServed)
                {
                    // Answers to a killed process's requests may arrive late: keep the newest request answered.
                    lastServed[n] = Math.Max(lastServed[n], request);
                }

                return Results.Bytes(Rss(n, request), "application/rss+xml; charset=utf-8");
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }));
        var feeds = string.Join(",\n", Enumerable.Range(0, FeedCount).Select(n =>
            $$"""{ "id": "agence-{{n}}", "name": "Agence {{n}}", "url": "{{server.Url($"feeds/{n}.xml")}}", "timeout": "2m" }"""));
        File.WriteAllText(folder.File("feeds.json"), $$"""{ "output": { "maxItems": 1000 }, "feeds": [ {{feeds}} ] }""");
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
        folder.Dispose();
    }

    private static string Guid(int feed, int item) => $"agence-{feed}-{item}";

    /// <summary>An RSS feed of the window of items this request sees: items [request * step, request * step + size).</summary>
    private static byte[] Rss(int feed, int request)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Agence</title><link>https://agence.example/</link>""");
        var first = request * ItemsAddedPerResponse;
        for (var k = first; k < first + ItemsPerResponse; k++)
        {
            var published = Epoch.AddMinutes(k).ToString("R", CultureInfo.InvariantCulture);
            xml.Append(CultureInfo.InvariantCulture, $"""
                <item><guid isPermaLink="false">{Guid(feed, k)}</guid><title>Dépêche {k} de l'agence {feed}</title>
                <link>https://agence{feed}.example/depeche/{k}</link><pubDate>{published}</pubDate>
                <description><![CDATA[<p>L'agence {feed} rapporte l'événement numéro {k} : une réunion a eu lieu ce jour-là, avec {k * 7 % 101} participants venus de {feed + 3} provinces.</p><p>Les discussions ont porté sur le dossier {k}-{feed} et se poursuivront la semaine prochaine.</p>]]></description></item>
                """);
        }

        return Encoding.UTF8.GetBytes(xml.Append("</channel></rss>").ToString());
    }

    private AggregatorProcess StartServe(out Uri baseUri)
    {
        baseUri = new Uri($"http://127.0.0.1:{AggregatorProcess.FreePort()}/");
        return AggregatorProcess.Start(folder.Path, "serve", "--urls", baseUri.AbsoluteUri.TrimEnd('/'));
    }

    /// <summary>Opens the store as the next process would (recovering what the kill left) and lists its items.</summary>
    private HashSet<string> StoredIds()
    {
        using var store = ItemStore.Open(folder.File("data"), TimeProvider.System);
        return store.Latest(int.MaxValue).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Polls the served JSON feed until it shows more entries than the given count; returns their ids.</summary>
    private async Task<HashSet<string>> WaitForServedAsync(Uri baseUri, int moreThan, AggregatorProcess process)
    {
        HashSet<string> ids = [];
        await WaitUntilAsync(
            () =>
            {
                try
                {
                    using var feed = JsonDocument.Parse(http.GetStringAsync(new Uri(baseUri, "feed.json")).GetAwaiter().GetResult());
                    ids = feed.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                return ids.Count > moreThan;
            },
            process,
            "a first commit");
        return ids;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, AggregatorProcess process, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(4))
            {
                throw new TimeoutException($"{what} never happened (seed {Seed}). Output:\n{process.Output}\nErrors:\n{process.Errors}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Whether every feed answered a request made at or after the given ones.</summary>
    private bool Served(int[] since)
    {
        lock (lastServed)
        {
            return Enumerable.Range(0, FeedCount).All(n => lastServed[n] >= since[n]);
        }
    }

    [Fact]
    public async Task Serve_KilledMidFetchAndRestartedRepeatedly_LosesNothingCommittedAndCompletesTheNextPass()
    {
        var committed = new HashSet<string>(StringComparer.Ordinal);
        var midFetchKills = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            HashSet<string> served;
            using (var process = StartServe(out var baseUri))
            {
                // Kill once this run has committed something, a random moment later, while other feeds are still downloading.
                served = await WaitForServedAsync(baseUri, committed.Count, process);
                await Task.Delay(random.Next(0, 1000), TestContext.Current.CancellationToken);
                midFetchKills += Volatile.Read(ref inFlight) > 0 ? 1 : 0;
                Process.GetProcessById(process.Id).Kill();
                await process.WaitAsync(TimeSpan.FromSeconds(30));
            }

            var stored = StoredIds();
            var lost = committed.Except(stored).Count();
            var servedLost = served.Except(stored.Select(FeedDocument.EntryId)).Count();
            Assert.True(lost == 0 && servedLost == 0, $"kill {kill} (seed {Seed}) lost {lost} stored items and {servedLost} served entries");
            committed = stored;
        }

        var firstRequestOfLastRun = requests.ToArray();
        using (var last = StartServe(out _))
        {
            await WaitUntilAsync(() => Served(firstRequestOfLastRun), last, "a whole pass");
            // SIGTERM lets the fetches in flight store their items before the process exits.
            last.Terminate();
            Assert.Equal(0, await last.WaitAsync(TimeSpan.FromSeconds(90)));
        }

        var final = StoredIds();
        Assert.True(final.Count > committed.Count, $"the last pass stored nothing new (seed {Seed})");
        Assert.Empty(committed.Except(final));
        for (var n = 0; n < FeedCount; n++)
        {
            var first = lastServed[n] * ItemsAddedPerResponse;
            var missing = Enumerable.Range(first, ItemsPerResponse).Count(k => !final.Contains(ItemIdentity.StableId($"agence-{n}", "id:" + Guid(n, k))));
            Assert.True(missing == 0, $"agence-{n} misses {missing} items of its latest response (seed {Seed})");
        }

        Assert.True(midFetchKills > 0, $"no kill landed while a feed was downloading (seed {Seed})");
        var export = await AggregatorProcess.RunAsync(folder.Path, "export", "--format", "json", "--limit", "1000");
        Assert.Equal(0, export.ExitCode);
    }
}
