using System.Globalization;
using System.Net;

namespace Aggregator.Hosting;

/// <summary>
/// Kestrel on 127.0.0.1 (port 0) serving <see cref="SyntheticFeeds"/> with ETags, so a feed answers 304 until it is
/// advanced. Documents are rendered ahead of a pass (<see cref="Prepare"/>) and held, so that serving them costs what
/// a static server's send costs, not the pipeline's cores.
/// </summary>
internal sealed class SyntheticServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly int[] generations;
    private readonly int itemsPerFeed;
    private readonly int seed;
    private readonly DateTime anchor;
    private readonly byte[]?[] prepared;
    private readonly int[] preparedGenerations;

    private SyntheticServer(WebApplication app, int feeds, int itemsPerFeed, int seed, DateTime anchor)
    {
        this.app = app;
        generations = new int[feeds];
        prepared = new byte[feeds][];
        preparedGenerations = new int[feeds];
        this.itemsPerFeed = itemsPerFeed;
        this.seed = seed;
        this.anchor = anchor;
    }

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<SyntheticServer> StartAsync(int feeds, int itemsPerFeed, int seed, DateTime anchor)
    {
        // No reloading of appsettings.json: its watcher covers the current folder and every folder below it, which
        // holds the bench's stores when it runs in the temporary folder or with --data below it; there its events
        // took 1.4% of the all-new pass's CPU (perf).
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new SyntheticServer(app, feeds, itemsPerFeed, seed, anchor);
        app.MapGet("/feeds/{id:int}", server.ServeAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    public Uri FeedUrl(int feed) => new(BaseUri, string.Create(CultureInfo.InvariantCulture, $"feeds/{feed}"));

    public int DocumentBytes(int feed) => SyntheticFeeds.Render(seed, feed, generations[feed], itemsPerFeed, anchor).Length;

    /// <summary>Every feed publishes its next generation: 10% of its items replaced by new ones.</summary>
    public void AdvanceAll()
    {
        for (var i = 0; i < generations.Length; i++)
        {
            Interlocked.Increment(ref generations[i]);
        }
    }

    /// <summary>Renders every feed's current document now, outside the measured time.</summary>
    public void Prepare()
    {
        Parallel.For(0, generations.Length, i =>
        {
            var generation = Volatile.Read(ref generations[i]);
            if (prepared[i] is null || preparedGenerations[i] != generation)
            {
                prepared[i] = SyntheticFeeds.Render(seed, i, generation, itemsPerFeed, anchor);
                preparedGenerations[i] = generation;
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task ServeAsync(int id, HttpContext context)
    {
        if (id < 0 || id >= generations.Length)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var generation = Volatile.Read(ref generations[id]);
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{generation}\"");
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var body = prepared[id] is { } held && preparedGenerations[id] == generation ? held : SyntheticFeeds.Render(seed, id, generation, itemsPerFeed, anchor);
        context.Response.ContentType = "application/rss+xml; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
