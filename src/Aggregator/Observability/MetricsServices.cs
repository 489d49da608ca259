using Aggregator.Storage;
using OpenTelemetry.Metrics;

namespace Aggregator.Observability;

/// <summary>Registers the Aggregator meter and serves it, with the runtime's and Kestrel's, at GET /metrics.</summary>
internal static class MetricsServices
{
    public static IServiceCollection AddAggregatorMetrics(this IServiceCollection services, string dataDirectory)
    {
        services.AddSingleton(s => new AggregatorMetrics(
            s.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            s.GetRequiredService<ItemStore>(),
            Path.Combine(dataDirectory, ItemStore.FileName)));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(AggregatorMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Hosting")
            // Every metric stream sets aside room for its cardinality limit up front (2,000 points, 144 KB): the
            // runtime's and Kestrel's streams carry a handful of tag sets each, so they get less room; ours are per feed.
            .AddView(instrument => instrument.Meter.Name == AggregatorMetrics.MeterName ? null : new MetricStreamConfiguration { CardinalityLimit = FixedTagsLimit })
            // Each scrape sees the counters as they are now: Prometheus scrapes seldom, and tests scrape back to back.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>Tag sets a runtime or Kestrel metric may have (generations, HTTP routes and status codes): well above what they carry.</summary>
    public const int FixedTagsLimit = 200;

    public static void MapMetrics(this IEndpointRouteBuilder app)
    {
        // The store gauges exist from the first scrape, not from the first fetch.
        app.ServiceProvider.GetRequiredService<AggregatorMetrics>();
        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
