using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Observability;
using Aggregator.Opml;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Microsoft.Extensions.FileProviders;

namespace Aggregator.Hosting;

/// <summary>The long-running service: Quartz fetches the feeds, Kestrel serves the combined feed.</summary>
internal static class ServeHost
{
    public const string DefaultUrl = "http://localhost:5080";

    public static async Task<int> RunAsync(CommandLine cli, ActiveConfig config, ItemStore store, TextWriter errors)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. cli.HostArgs],
            // appsettings.json ships beside the binary; feeds.json and data are resolved against the current folder.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.UseLogFormat(cli.LogFormat);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        if (MemoryTrimOptions.Problem(builder.Configuration) is { } problem)
        {
            // A setting of appsettings.json or the environment that cannot hold: refused before anything starts.
            await errors.WriteLineAsync($"error: {problem}");
            return Commands.InvalidInput;
        }

        // Registrations: the shared pipeline, then the scheduler that drives it.
        builder.Services.AddAggregatorCore(config, store);
        builder.Services.AddFeedScheduling(config.Current);
        // After the scheduler: edits of feeds.json apply while the service runs.
        builder.Services.AddConfigWatching();
        builder.Services.AddAggregatorMetrics(cli.DataDirectory);
        builder.Services.AddSingleton<HtmlPageCache>();
        builder.Services.AddSingleton(s => HtmlPageCache.StaticFile(s.GetRequiredService<HtmlPageCache>()));
        // Static export and WebSub pings follow the store's changes.
        builder.Services.AddFeedPublishing();
        // Between polls, the collector's spare memory goes back to the system.
        builder.Services.AddMemoryTrimming(builder.Configuration);
        // A store LiteDB closed after a fatal error stops the service, with an exit code its supervisor restarts on.
        builder.Services.AddSingleton<StoreWatch>();
        builder.Services.AddHostedService(s => s.GetRequiredService<StoreWatch>());
        // SIGTERM: fetches in flight finish (each bounded by its feed's timeout) before the process exits.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(90));

        var app = builder.Build();
        // The store trains its body dictionary once it has enough bodies; the operator hears when that fails.
        var storeLog = app.Services.GetRequiredService<ILogger<ItemStore>>();
        store.DictionaryFailed += (failure, retrying) => DictionaryLog.Failed(storeLog, failure, retrying);
        app.MapFeeds();
        app.MapHealth();
        app.MapStatus();
        app.MapMetrics();
        app.MapOpml();
        app.MapHtmlPage();
        if (app.Configuration["bench-static"] is { Length: > 0 } staticFolder)
        {
            // Development only (serve-bench.sh): the same bytes as a plain file, the yardstick for the feed endpoints.
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.GetFullPath(staticFolder)), RequestPath = "/bench-static" });
        }

        var watch = app.Services.GetRequiredService<StoreWatch>();
        await app.RunAsync();
        if (watch.Failure is null && StoreWatch.AfterStop(store) is { } fault)
        {
            await errors.WriteLineAsync($"error: the store closed after a fatal error ({fault.Message}); the next start reads it again");
            return Commands.StoreFailed;
        }

        return watch.Failure is null ? Commands.Ok : Commands.StoreFailed;
    }
}
