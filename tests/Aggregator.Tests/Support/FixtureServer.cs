using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Support;

/// <summary>A real Kestrel server on 127.0.0.1 (port 0) that serves fixture feeds and misbehaves on request.</summary>
internal sealed class FixtureServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FixtureServer(WebApplication app, Uri baseUri)
    {
        this.app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>How many requests each path received, to check that a 304 really saved a download.</summary>
    public Dictionary<string, int> Hits { get; } = [];

    public Uri Url(string path) => new(BaseUri, path.TrimStart('/'));

    public static async Task<FixtureServer> StartAsync(Action<IEndpointRouteBuilder> routes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FixtureServer? server = null;
        app.Use(async (context, next) =>
        {
            lock (server!.Hits)
            {
                server.Hits[context.Request.Path] = server.Hits.GetValueOrDefault(context.Request.Path) + 1;
            }

            await next(context);
        });
        routes(app);
        await app.StartAsync();
        var address = app.Urls.First();
        server = new FixtureServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return server;
    }

    public int HitsOf(string path)
    {
        lock (Hits)
        {
            return Hits.GetValueOrDefault(path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Fixture files under TestData/, read as bytes exactly as stored.</summary>
internal static class TestData
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "TestData", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Serves a body with a content type; the route answers every GET.</summary>
    public static IResult Serve(byte[] body, string contentType = "application/rss+xml; charset=utf-8") =>
        Results.Bytes(body, contentType);
}

/// <summary>A temporary folder removed at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aggregator-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
