using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace Aggregator.Fetching;

// Reading an answer that is not a redirect: status, Retry-After, validators, and the body within its limit.
internal sealed partial class FeedFetcher
{
    private async Task<FetchResult> ReadResponseAsync(HttpResponseMessage response, Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new FetchResult.NotModified();
        }

        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            return new FetchResult.Failed($"HTTP {status} {response.ReasonPhrase}".TrimEnd(), status) { RetryAt = RetryAtOf(response) };
        }

        if (response.Content.Headers.ContentLength > maxBytes && response.Content.Headers.ContentEncoding.Count == 0)
        {
            return new FetchResult.Failed($"body of {response.Content.Headers.ContentLength} bytes exceeds the limit of {maxBytes} bytes", status);
        }

        var body = await ReadLimitedAsync(response.Content, maxBytes, cancellationToken);
        if (body is null)
        {
            return new FetchResult.Failed($"body exceeds the limit of {maxBytes} bytes", status);
        }

        var decoded = FeedDecoder.Decode(body, response.Content.Headers.ContentType?.CharSet);
        return new FetchResult.Fetched(
            decoded.Text,
            response.RequestMessage?.RequestUri ?? url,
            response.Headers.ETag?.ToString(),
            LastModifiedOf(response.Content.Headers),
            body.Length,
            decoded.Encoding.WebName);
    }

    /// <summary>Reads the (already decompressed) body, giving up as soon as it passes the limit: a gzip bomb stops early.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>The Retry-After of a 429 or 503, in seconds or as an HTTP date; null when absent or unreadable.</summary>
    private DateTimeOffset? RetryAtOf(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return null;
        }

        var retryAfter = response.Headers.RetryAfter;
        return retryAfter?.Delta is { } delta ? time.GetUtcNow() + delta : retryAfter?.Date;
    }

    private static string? LastModifiedOf(HttpContentHeaders headers) =>
        headers.TryGetValues("Last-Modified", out var values) ? values.FirstOrDefault() : null;
}
