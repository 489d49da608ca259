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

        if (await ReadLimitedAsync(response.Content, maxBytes, cancellationToken) is not var (body, length))
        {
            return new FetchResult.Failed($"body exceeds the limit of {maxBytes} bytes", status);
        }

        // Kept as bytes, in the buffer they were read into: a refresh decodes only what it parses (see SeenItemTexts).
        // The caller owns the buffer and gives it back to the pool by disposing the text; left undisposed, it is garbage.
        var (encoding, skip, _) = FeedDecoder.Choose(body.AsSpan(0, length), response.Content.Headers.ContentType?.CharSet);
        return new FetchResult.Fetched(
            FetchedText.Rented(body, skip, length - skip, encoding),
            response.RequestMessage?.RequestUri ?? url,
            response.Headers.ETag?.ToString(),
            LastModifiedOf(response.Content.Headers),
            length,
            encoding.WebName);
    }

    /// <summary>
    /// Reads the (already decompressed) body into a pooled buffer, giving up as soon as it passes the limit: a gzip
    /// bomb stops early. The buffer is rented from the shared pool; the caller owns it.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)?> ReadLimitedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);

        // One byte more than announced, so that the end is seen without growing; compressed answers announce nothing.
        var announced = content.Headers.ContentLength is { } n && n < maxBytes ? (int)n + 1 : 0;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(announced, 81920));
        var length = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
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
