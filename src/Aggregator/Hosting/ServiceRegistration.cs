using Aggregator.Cleaning;
using Aggregator.Configuration;
using Aggregator.Deduplication;
using Aggregator.Export;
using Aggregator.Fetching;
using Aggregator.Scheduling;
using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>The registrations every command shares: configuration, store, fetching, cleaning, export.</summary>
internal static class ServiceRegistration
{
    public static IServiceCollection AddAggregatorCore(this IServiceCollection services, ActiveConfig config, ItemStore store)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(config);
        services.AddSingleton(store);
        services.AddFeedFetching();
        services.AddSingleton<HtmlCleaner>();
        services.AddSingleton(s => new StoryDeduplicator(store, s.GetRequiredService<TimeProvider>(), config.Current.Deduplication));
        services.AddSingleton<SeenItemTexts>();
        services.AddSingleton(_ => new WorkLimiter(SchedulingServices.WorkSlots));
        services.AddSingleton<FeedRefresher>();
        services.AddSingleton<FeedExporter>();
        return services;
    }
}
