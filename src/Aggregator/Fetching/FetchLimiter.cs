using System.Collections.Concurrent;
using Aggregator.Configuration;

namespace Aggregator.Fetching;

/// <summary>
/// Caps the HTTP exchanges in flight: so many overall and so many per host, whoever asks (scheduled jobs,
/// the <c>fetch</c> command, full-text pages). The limits are read once, when the service starts.
/// </summary>
internal sealed class FetchLimiter(FetchingSettings settings) : IDisposable
{
    private readonly SemaphoreSlim all = new(settings.MaxConcurrent, settings.MaxConcurrent);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> hosts = new(StringComparer.OrdinalIgnoreCase);

    public FetchingSettings Settings => settings;

    /// <summary>Waits for a slot for this URL's host, then for a global one; dispose the lease to give both back.</summary>
    public async Task<Lease> AcquireAsync(Uri url, CancellationToken cancellationToken)
    {
        // The host first: a feed queued behind its own host must not hold a slot another host could use.
        var host = hosts.GetOrAdd(url.IdnHost, _ => new SemaphoreSlim(settings.MaxPerHost, settings.MaxPerHost));
        await host.WaitAsync(cancellationToken);
        try
        {
            await all.WaitAsync(cancellationToken);
        }
        catch
        {
            host.Release();
            throw;
        }

        return new Lease(this, host);
    }

    public void Dispose()
    {
        all.Dispose();
        foreach (var host in hosts.Values)
        {
            host.Dispose();
        }
    }

    /// <summary>One exchange's right to run.</summary>
    internal sealed class Lease(FetchLimiter limiter, SemaphoreSlim host) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                limiter.all.Release();
                host.Release();
            }
        }
    }
}
