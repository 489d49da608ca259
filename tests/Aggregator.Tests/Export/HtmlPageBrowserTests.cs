using System.Net;
using System.Text.RegularExpressions;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace Aggregator.Tests.Export;

/// <summary>
/// The home page as a person sees it on a phone: headless Chromium at 390×844 loads it from a real Kestrel,
/// and the tests read the text it laid out. The screenshot stays in the test output folder for a human look.
/// </summary>
public sealed partial class HtmlPageBrowserTests : IAsyncLifetime
{
    private const string Install = "apt-get install -y chromium";

    private readonly HtmlPageFixture fixture = new();
    private readonly TempDirectory profile = new();
    private WebApplication? app;

    private string Url => app!.Urls.First() + "/";

    public async ValueTask InitializeAsync() => app = await fixture.HostAsync();

    [Fact]
    public async Task Chromium_PhoneScreen_ShowsTheStoriesOutletsAndTimes()
    {
        var text = await VisibleTextAsync();

        Assert.Contains("Aéronautique civile : la Chine et la France signent un accord", text, StringComparison.Ordinal);
        Assert.Contains("Sahel : « trois pays » & une force commune <en projet>", text, StringComparison.Ordinal);
        Assert.Contains("Xinhua – Chine · 26 nov. 2026 à 14:05 · chine", text, StringComparison.Ordinal);
        Assert.Contains("APS – Algérie Presse Service · 14 juil. 2026 à 10:30 · afrique", text, StringComparison.Ordinal);
        Assert.Contains("Aussi publié par : APS – Algérie Presse Service, MAP Express", text, StringComparison.Ordinal);
        Assert.Contains("4 sources à jour, 1 en échec", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_PhoneScreen_LinksArticlesAndCategoryFeeds()
    {
        var dom = await RunChromiumAsync("--dump-dom", Url);

        Assert.Contains("href=\"https://map.example/aero\"", dom, StringComparison.Ordinal);
        Assert.Contains("href=\"/c/afrique.atom\"", dom, StringComparison.Ordinal);
        Assert.Contains("href=\"/c/monde.json\"", dom, StringComparison.Ordinal);
        Assert.Contains("href=\"/feed.rss\"", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_PhoneScreenshot_IsWrittenToTheTestOutput()
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;
        var png = Path.Combine(folder, "home-phone.png");
        File.Delete(png);

        await RunChromiumAsync($"--screenshot={png}", "--window-size=390,844", "--hide-scrollbars", Url);

        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot of the home page on a phone: {png}");
        var bytes = await File.ReadAllBytesAsync(png, TestContext.Current.CancellationToken);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    /// <summary>The page's text as laid out: tags dropped, entities decoded, spaces collapsed.</summary>
    private async Task<string> VisibleTextAsync()
    {
        var dom = await RunChromiumAsync("--dump-dom", Url);
        var body = dom[dom.IndexOf("<body", StringComparison.Ordinal)..];
        return Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(body, " ")), " ").Replace(" ,", ",", StringComparison.Ordinal);
    }

    private async Task<string> RunChromiumAsync(params string[] arguments)
    {
        var chromium = ExternalTool.Require("chromium", Install);
        string[] common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile.Path}"];
        var run = await ExternalTool.RunAsync(chromium, [.. common, .. arguments], timeout: TimeSpan.FromSeconds(90));
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Output;
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        fixture.Dispose();
        profile.Dispose();
    }
}
