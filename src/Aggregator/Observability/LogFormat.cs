using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Console;

namespace Aggregator.Observability;

/// <summary>The console log format: one line of text per event (simple, the default) or one JSON object per line.</summary>
internal static class LogFormat
{
    public const string EnvironmentVariable = "AGGREGATOR_LOG_FORMAT";
    public const string Simple = "simple";
    public const string Json = "json";

    public static bool IsKnown(string? name) => name is Simple or Json;

    /// <summary>
    /// A format chosen on the command line (or by AGGREGATOR_LOG_FORMAT) wins over Logging:Console:FormatterName,
    /// which appsettings.json sets and Logging__Console__FormatterName overrides.
    /// </summary>
    public static void UseLogFormat(this WebApplicationBuilder builder, string? format)
    {
        if (format is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("Logging:Console:FormatterName", format)]);
        }

        builder.Services.PostConfigure<JsonConsoleFormatterOptions>(ConfigureJson);
    }

    /// <summary>JSON lines for log shippers: the simple format's padded timestamp trimmed, French text left readable.</summary>
    public static void ConfigureJson(JsonConsoleFormatterOptions options)
    {
        options.TimestampFormat = options.TimestampFormat?.TrimEnd() ?? "yyyy-MM-ddTHH:mm:ss.fffZ";
        options.UseUtcTimestamp = true;
        options.JsonWriterOptions = new JsonWriterOptions
        {
            Indented = false,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
    }
}
