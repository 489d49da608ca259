namespace Aggregator.Export;

/// <summary>The registrations of serve's background publishing: static export and WebSub pings.</summary>
internal static class PublishingServices
{
    public static IServiceCollection AddFeedPublishing(this IServiceCollection services)
    {
        // A plain client, not the fetcher's: the hub is the admin's choice and may well be on a private address.
        services.AddHttpClient(HubNotifier.ClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<HubNotifier>();
        services.AddSingleton<StaticExporter>();
        services.AddSingleton<FeedPublisher>();
        services.AddHostedService(s => s.GetRequiredService<FeedPublisher>());
        return services;
    }
}
