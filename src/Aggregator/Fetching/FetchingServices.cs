using System.Net;
using System.Reflection;
using Aggregator.Configuration;
using Aggregator.Scheduling;

namespace Aggregator.Fetching;

/// <summary>Registers the HttpClients: our headers, decompression, redirects and pooling in one place.</summary>
internal static class FetchingServices
{
    public static string UserAgent { get; } =
        $"Aggregator/{typeof(FeedFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"} (news syndication)";

    public static IServiceCollection AddFeedFetching(this IServiceCollection services)
    {
        AddClient(services, FeedFetcher.ClientName, guarded: false);
        // Article pages are addresses a feed chose: every connection, redirects included, goes through the guard.
        AddClient(services, FeedFetcher.PageClientName, guarded: true);
        services.AddSingleton(s => new FetchLimiter(s.GetRequiredService<ActiveConfig>().Current.Fetching));
        services.AddSingleton<FeedFetcher>();
        // The refresher's rules for when a feed may be asked again; Random.Shared is safe across threads.
        services.AddSingleton(new FetchPolicy(Random.Shared));
        return services;
    }

    private static void AddClient(IServiceCollection services, string name, bool guarded) =>
        services.AddHttpClient(name, client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                // Each fetch sets its own deadline from the feed's timeout.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                // FeedFetcher follows redirects itself, to tell a permanent move from a temporary one.
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxResponseHeadersLength = 64,
                ConnectCallback = guarded ? AddressGuard.ConnectAsync : null,
            });
}
