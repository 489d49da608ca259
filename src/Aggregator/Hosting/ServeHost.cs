using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Scheduling;
using Aggregator.Storage;

namespace Aggregator.Hosting;

/// <summary>The long-running service: Quartz fetches the feeds, Kestrel serves the combined feed.</summary>
internal static class ServeHost
{
    public const string DefaultUrl = "http://localhost:5080";

    public static async Task<int> RunAsync(CommandLine cli, ActiveConfig config, ItemStore store)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. cli.HostArgs],
            // appsettings.json ships beside the binary; feeds.json and data are resolved against the current folder.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Registrations: the shared pipeline, then the scheduler that drives it.
        builder.Services.AddAggregatorCore(config, store);
        builder.Services.AddFeedScheduling(config.Current);
        // Static export and WebSub pings follow the store's changes.
        builder.Services.AddFeedPublishing();
        // SIGTERM: fetches in flight finish (each bounded by its feed's timeout) before the process exits.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(90));

        var app = builder.Build();
        app.MapFeeds();
        app.MapHealth();
        app.MapGet("/", () => Results.Redirect("/feed.atom"));
        await app.RunAsync();
        return Commands.Ok;
    }
}
