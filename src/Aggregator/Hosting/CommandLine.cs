using System.Globalization;

namespace Aggregator.Hosting;

/// <summary>The parsed command line: a command and its options. Unknown options are left for the host (e.g. --urls).</summary>
internal sealed record CommandLine(
    string Command,
    string ConfigPath,
    string DataDirectory,
    IReadOnlyList<string> Feeds,
    string? Format,
    string? OutPath,
    int? Limit,
    TimeSpan Since,
    IReadOnlyList<string> HostArgs,
    string? Error)
{
    /// <summary>export --directory: write every static file there instead of one feed.</summary>
    public string? Directory { get; init; }

    public static readonly string[] Commands = ["serve", "fetch", "export", "validate", "stories", "status", "import-opml", "seed", "purge", "compact", "bench", "help"];

    /// <summary>status: where the running service answers.</summary>
    public string Url { get; init; } = ServeHost.DefaultUrl;

    /// <summary>The file a command reads (import-opml's OPML file).</summary>
    public string? InputPath { get; init; }

    /// <summary>simple or json; from --log-format, else AGGREGATOR_LOG_FORMAT; null leaves appsettings.json's choice.</summary>
    public string? LogFormat { get; init; }

    /// <summary>bench: how many synthetic feeds to serve and items in each.</summary>
    public int BenchFeeds { get; init; } = 200;

    public int BenchItems { get; init; } = 50;

    /// <summary>bench: how many steady passes and all-304 passes follow the all-new one (each store grows by a tenth of a pass's items per steady pass).</summary>
    public int BenchRounds { get; init; } = 3;

    /// <summary>bench: the data folder whose store the passes start from, copied (null: an empty store).</summary>
    public string? BenchStore { get; init; }

    /// <summary>Whether --data was given: bench uses a throwaway folder otherwise.</summary>
    public bool DataGiven { get; init; }

    public const string Usage = """
        Usage: Aggregator [command] [options]

        Commands:
          serve                 Run the service: scheduled fetches and the combined feed over HTTP (default).
          fetch [--feed ID ...] Fetch every enabled feed (or the named ones) once, print one line per feed, exit.
          export --format atom|rss|json [--out FILE] [--limit N]
                                Write the combined feed to FILE or standard output.
          export --directory DIR
                                Write feed.atom, feed.rss, feed.json, c/{category}.* and feeds.opml to DIR.
          validate              Check feeds.json and list every problem.
          stories [--since 24h] List the stories more than one outlet carried (what deduplication merged).
          status [--url URL]    Each feed's schedule and last outcomes, from the running service at URL
                                (default http://localhost:5080) or, when none answers, from the data folder.
          import-opml FILE      Add an OPML file's feeds to feeds.json (feeds already there are skipped).
          seed [--limit N]      Development: store N synthetic French stories (default 100) over the configured feeds.
          purge                 Remove items older than the retention setting now, as the service does daily.
          compact [--data DIR]  Copy the store into a fresh file and swap it in; only while the service is stopped.
          bench [--feeds 200] [--items 50] [--rounds 3] [--store DIR]
                                Serve synthetic feeds on loopback, ingest them through the real pipeline
                                (all new, then rounds of steady with 10% new and of all 304) and print speed,
                                CPU, memory and store size.
                                Without --data, the store is a throwaway temp folder; with it, the folder must be empty.
                                --store DIR starts from a copy of the store in data folder DIR (one `seed` filled,
                                say), read into memory before the passes, to measure them at its size.

        Options (every command):
          --config PATH         The feeds file (default ./feeds.json).
          --data DIR            The data folder (default ./data).
          --urls URLS           serve: where to listen (default http://localhost:5080; ASPNETCORE_URLS works too).
          --log-format FORMAT   simple (default) or json: one JSON object per log line (AGGREGATOR_LOG_FORMAT works too).

        Exit codes: 0 success, 1 a feed failed (fetch, status), 2 invalid configuration or usage, 3 data folder in use.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? command = null, format = null, outPath = null, directory = null, error = null, inputPath = null;
        var logFormat = Environment.GetEnvironmentVariable(Observability.LogFormat.EnvironmentVariable);
        string config = "feeds.json", data = "data", url = ServeHost.DefaultUrl;
        int? limit = null;
        var since = TimeSpan.FromHours(24);
        var feeds = new List<string>();
        int benchFeeds = 200, benchItems = 50, benchRounds = 3;
        string? benchStore = null;
        var dataGiven = false;
        var hostArgs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (arg)
            {
                case "--config":
                    config = Value() ?? Missing(arg, ref error);
                    break;
                case "--data":
                    data = Value() ?? Missing(arg, ref error);
                    dataGiven = true;
                    break;
                case "--feeds":
                    benchFeeds = PositiveNumber(arg, Value(), benchFeeds, ref error);
                    break;
                case "--items":
                    benchItems = PositiveNumber(arg, Value(), benchItems, ref error);
                    break;
                case "--rounds":
                    benchRounds = PositiveNumber(arg, Value(), benchRounds, ref error);
                    break;
                case "--store":
                    benchStore = Value() ?? Missing(arg, ref error);
                    break;
                case "--url":
                    url = Value() ?? Missing(arg, ref error);
                    break;
                case "--feed":
                    feeds.Add(Value() ?? Missing(arg, ref error));
                    break;
                case "--format":
                    format = Value() ?? Missing(arg, ref error);
                    break;
                case "--directory":
                    directory = Value() ?? Missing(arg, ref error);
                    break;
                case "--out":
                    outPath = Value() ?? Missing(arg, ref error);
                    break;
                case "--limit":
                    var text = Value();
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
                    {
                        limit = n;
                    }
                    else
                    {
                        error ??= $"--limit needs a positive whole number, not '{text}'";
                    }

                    break;
                case "--since":
                    var duration = Value();
                    if (duration is not null && Configuration.ConfigLoader.TryParseDuration(duration, out var parsed))
                    {
                        since = parsed;
                    }
                    else
                    {
                        error ??= $"--since needs a duration such as 24h or 3d, not '{duration}'";
                    }

                    break;
                case "--log-format":
                    logFormat = Value() ?? Missing(arg, ref error);
                    break;
                case "-h" or "--help":
                    command = "help";
                    break;
                default:
                    if (command is null && !arg.StartsWith('-'))
                    {
                        command = arg;
                    }
                    else if (command == "import-opml" && inputPath is null && !arg.StartsWith('-'))
                    {
                        inputPath = arg;
                    }
                    else
                    {
                        hostArgs.Add(arg);
                    }

                    break;
            }
        }

        command ??= "serve";
        if (!Commands.Contains(command))
        {
            error ??= $"unknown command '{command}'";
        }

        if (string.IsNullOrEmpty(logFormat))
        {
            logFormat = null;
        }
        else if (!Observability.LogFormat.IsKnown(logFormat))
        {
            error ??= $"--log-format (or {Observability.LogFormat.EnvironmentVariable}) needs simple or json, not '{logFormat}'";
        }

        if (command == "import-opml" && inputPath is null)
        {
            error ??= "import-opml needs the OPML file to read";
        }

        return new CommandLine(command, config, data, feeds, format, outPath, limit, since, hostArgs, error)
        {
            Directory = directory,
            Url = url,
            InputPath = inputPath,
            LogFormat = logFormat,
            BenchFeeds = benchFeeds,
            BenchItems = benchItems,
            BenchRounds = benchRounds,
            BenchStore = benchStore,
            DataGiven = dataGiven,
        };
    }


    private static int PositiveNumber(string option, string? text, int fallback, ref string? error)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        error ??= $"{option} needs a positive whole number, not '{text}'";
        return fallback;
    }

    private static string Missing(string option, ref string? error)
    {
        error ??= $"{option} needs a value";
        return "";
    }
}
