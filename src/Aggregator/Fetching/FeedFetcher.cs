using Aggregator.Configuration;

namespace Aggregator.Fetching;

/// <summary>
/// Fetches a feed with our own HttpClient: conditional GET, compression, redirects, timeouts, a size limit,
/// and a place in the <see cref="FetchLimiter"/> so no host sees more than its share of us at once.
/// </summary>
internal sealed partial class FeedFetcher(IHttpClientFactory clients, FetchLimiter limiter, TimeProvider time)
{
    public const string ClientName = "feeds";

    public const string PageClientName = "pages";

    public Task<FetchResult> FetchAsync(FeedConfig feed, CacheValidators? validators, CancellationToken cancellationToken) =>
        FetchAsync(feed, feed.Url, validators, cancellationToken);

    /// <summary>Fetches the feed from <paramref name="url"/>: its own, or where it said it moved.</summary>
    public Task<FetchResult> FetchAsync(FeedConfig feed, Uri url, CacheValidators? validators, CancellationToken cancellationToken) =>
        SendAsync(ClientName, url, feed, validators, allowPrivate: true, FeedAccept, cancellationToken);

    /// <summary>
    /// Fetches an article's page for full text, with the feed's limits. Private, loopback and link-local
    /// addresses are refused unless the feed itself lives on one or says <c>allowPrivate</c>.
    /// </summary>
    public async Task<FetchResult> FetchPageAsync(FeedConfig feed, Uri page, CacheValidators? validators, CancellationToken cancellationToken)
    {
        var allowPrivate = feed.AllowPrivate || await IsPrivateHostAsync(feed.Url, cancellationToken);
        return await SendAsync(PageClientName, page, feed, validators, allowPrivate, PageAccept, cancellationToken);
    }

    private const string FeedAccept = "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5";
    private const string PageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

    private async Task<FetchResult> SendAsync(string client, Uri url, FeedConfig feed, CacheValidators? validators, bool allowPrivate, string accept, CancellationToken cancellationToken)
    {
        // Waiting for a slot is not part of the exchange: the deadline starts once we may talk to the host.
        using var lease = await limiter.AcquireAsync(url, cancellationToken);

        // One deadline for the whole exchange, redirects and body included, so a server that trickles bytes is cut off.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(feed.Timeout);
        try
        {
            return await ExchangeAsync(clients.CreateClient(client), url, feed.MaxBytes, validators, allowPrivate, accept, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FetchResult.Failed($"timed out after {feed.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new FetchResult.Failed(Describe(e));
        }
        catch (IOException e)
        {
            return new FetchResult.Failed($"connection broken: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            return new FetchResult.Failed($"bad compressed body: {e.Message}");
        }
    }

    private async Task<FetchResult> ExchangeAsync(HttpClient http, Uri url, long maxBytes, CacheValidators? validators, bool allowPrivate, string accept, CancellationToken cancellationToken)
    {
        var current = url;
        Uri? movedTo = null;
        var permanentSoFar = true;
        for (var hops = 0; ; hops++)
        {
            using var request = BuildRequest(current, validators, accept);
            request.Options.Set(AddressGuard.AllowPrivate, allowPrivate);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var step = Redirects.Next(response, current);
            if (step is null)
            {
                var result = await ReadResponseAsync(response, current, maxBytes, cancellationToken);
                return movedTo is null ? result : result with { MovedTo = movedTo };
            }

            var status = (int)response.StatusCode;
            if (step.Target is null)
            {
                return new FetchResult.Failed(step.Refused!, status);
            }

            if (hops == Redirects.Max)
            {
                return new FetchResult.Failed($"HTTP {status}: too many redirects (more than {Redirects.Max})", status);
            }

            // Only a chain of permanent hops moves the feed: after a temporary one, the old address stays the one to ask.
            permanentSoFar &= step.Permanent;
            movedTo = permanentSoFar ? step.Target : movedTo;
            current = step.Target;
        }
    }

    private static async Task<bool> IsPrivateHostAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = System.Net.IPAddress.TryParse(url.DnsSafeHost, out var literal)
                ? [literal]
                : await System.Net.Dns.GetHostAddressesAsync(url.DnsSafeHost, cancellationToken);
            return addresses.Length > 0 && addresses.All(AddressGuard.IsPrivate);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static HttpRequestMessage BuildRequest(Uri url, CacheValidators? validators, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        if (!string.IsNullOrEmpty(validators?.ETag))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", validators.ETag);
        }

        if (!string.IsNullOrEmpty(validators?.LastModified))
        {
            // Sent back exactly as the server wrote it: servers often compare the string, not the date.
            request.Headers.TryAddWithoutValidation("If-Modified-Since", validators.LastModified);
        }

        return request;
    }

    private static string Describe(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => $"DNS lookup failed: {e.Message}",
        HttpRequestError.ConnectionError => $"connection failed: {e.Message}",
        HttpRequestError.SecureConnectionError => $"TLS failed: {e.Message}",
        HttpRequestError.InvalidResponse => $"invalid HTTP response: {e.Message}",
        HttpRequestError.ResponseEnded => $"response ended early: {e.Message}",
        // "An error occurred while sending the request" says nothing: the inner exception says what broke.
        _ => e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message,
    };
}
