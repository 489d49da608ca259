using System.Net.Http.Json;
using Aggregator.Hosting;

namespace Aggregator.Tests.Support;

/// <summary>The real service as a process over a temporary folder whose feeds.json the test edits while it runs.</summary>
internal sealed class RunningService : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private RunningService(TempDirectory folder, AggregatorProcess process, Uri baseUri)
    {
        Folder = folder;
        Process = process;
        BaseUri = baseUri;
    }

    public TempDirectory Folder { get; }

    public AggregatorProcess Process { get; }

    public Uri BaseUri { get; }

    public HttpClient Http => http;

    public string FeedsPath => Folder.File("feeds.json");

    /// <summary>Writes feeds.json and starts <c>serve</c> on a free port; the folder is the caller's.</summary>
    public static RunningService Start(TempDirectory folder, string feedsJson)
    {
        File.WriteAllText(folder.File("feeds.json"), feedsJson);
        var baseUri = new Uri($"http://127.0.0.1:{AggregatorProcess.FreePort()}/");
        var process = AggregatorProcess.Start(folder.Path, "serve", "--urls", baseUri.AbsoluteUri.TrimEnd('/'));
        return new RunningService(folder, process, baseUri);
    }

    /// <summary>A feeds.json with these feeds, each given as its JSON object.</summary>
    public static string Feeds(params string[] feeds) => $$"""{ "output": { "title": "Rechargement" }, "feeds": [ {{string.Join(",\n", feeds)}} ] }""";

    /// <summary>Replaces feeds.json the way editors and deploy tools do: write beside it, then rename over it.</summary>
    public void Edit(string feedsJson)
    {
        var temporary = Folder.File("feeds.json.tmp");
        File.WriteAllText(temporary, feedsJson);
        File.Move(temporary, FeedsPath, overwrite: true);
    }

    /// <summary>GET /status, or null while the service does not answer yet.</summary>
    public async Task<StatusReport?> StatusAsync()
    {
        try
        {
            return await http.GetFromJsonAsync<StatusReport>(new Uri(BaseUri, "status"), StatusReport.JsonOptions, TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls /status until <paramref name="condition"/> holds, with a generous deadline rather than a fixed wait.</summary>
    public async Task<StatusReport> WaitForStatusAsync(Func<StatusReport, bool> condition, string what)
    {
        StatusReport? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                last = await StatusAsync();
                return last is not null && condition(last);
            },
            () => $"{what}. Last status: {System.Text.Json.JsonSerializer.Serialize(last, StatusReport.JsonOptions)}\nOutput:\n{Process.Output}\nErrors:\n{Process.Errors}");
        return last!;
    }

    public void Dispose()
    {
        http.Dispose();
        Process.Dispose();
    }
}

/// <summary>Waits for a condition by polling it until a generous deadline, so tests do not depend on the machine's speed.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {Deadline.TotalSeconds} s: {failure()}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what) => HoldsAsync(() => Task.FromResult(condition()), () => what);
}
