using System.Net;
using System.Net.Sockets;

namespace Aggregator.Fetching;

/// <summary>
/// Keeps article-page fetches off the service's own network: a feed must not be able to make us probe
/// loopback, private or link-local addresses. Checked on the address actually connected to, so a DNS answer
/// that changes between check and use (rebinding) gains nothing.
/// </summary>
internal static class AddressGuard
{
    public static readonly HttpRequestOptionsKey<bool> AllowPrivate = new("Aggregator.AllowPrivate");

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            // fc00::/7 unique local; fe80::/10 link-local (also site-local fec0::/10).
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (first & 0xFE) == 0xFC || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] is >= 64 and <= 127,   // carrier-grade NAT
            169 => b[1] == 254,                // link-local, cloud metadata
            172 => b[1] is >= 16 and <= 31,
            192 => b[1] == 168 || (b[1] == 0 && b[2] == 0),
            198 => b[1] is 18 or 19,           // benchmarking
            >= 224 => true,                    // multicast and reserved
            _ => false,
        };
    }

    /// <summary>A ConnectCallback that resolves the host and connects only to addresses the request may reach.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var allowPrivate = context.InitialRequestMessage.Options.TryGetValue(AllowPrivate, out var allowed) && allowed;
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var permitted = allowPrivate ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (permitted.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"refused to connect to {host}: private, loopback or link-local address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
