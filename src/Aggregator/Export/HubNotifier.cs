namespace Aggregator.Export;

/// <summary>
/// Tells a WebSub hub that feeds changed (hub.mode=publish, one hub.url per feed), so subscribers get the news
/// pushed instead of polling. A hub that fails is logged: the feeds are still served and the next change pings again.
/// </summary>
internal sealed partial class HubNotifier(IHttpClientFactory clients, ILogger<HubNotifier> logger)
{
    public const string ClientName = "websub";

    /// <summary>Pings the hub for each address; returns how many pings the hub accepted.</summary>
    public async Task<int> PublishAsync(Uri hub, IReadOnlyList<Uri> feeds, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        var accepted = 0;
        foreach (var feed in feeds)
        {
            using var body = new FormUrlEncodedContent([new("hub.mode", "publish"), new("hub.url", feed.AbsoluteUri)]);
            try
            {
                using var response = await client.PostAsync(hub, body, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    accepted++;
                }
                else
                {
                    LogRefused(hub, feed, (int)response.StatusCode);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogFailed(hub, feed, e.Message);
            }
        }

        return accepted;
    }

    [LoggerMessage(LogLevel.Warning, "WebSub hub {Hub} refused the ping for {Feed}: HTTP {Status}")]
    private partial void LogRefused(Uri hub, Uri feed, int status);

    [LoggerMessage(LogLevel.Warning, "WebSub hub {Hub} could not be pinged for {Feed}: {Reason}")]
    private partial void LogFailed(Uri hub, Uri feed, string reason);
}
