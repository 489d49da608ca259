using System.Net;
using System.Net.Sockets;

namespace Aggregator.Tests.Support;

/// <summary>
/// A bare TCP server on 127.0.0.1 (port 0) for faults Kestrel will not commit: answers that are not HTTP,
/// headers that never end or arrive a byte at a time. Each connection runs the given behaviour.
/// </summary>
internal sealed class FaultServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<Stream, CancellationToken, Task> behaviour;
    private readonly Task accepting;
    private int connections;

    public FaultServer(Func<Stream, CancellationToken, Task> behaviour)
    {
        this.behaviour = behaviour;
        listener.Start();
        accepting = AcceptAsync();
    }

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/{path.TrimStart('/')}");

    public int Connections => Volatile.Read(ref connections);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            Interlocked.Increment(ref connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                // Read the request head first so the client is not cut off before it has finished sending.
                await ReadRequestHeadAsync(stream, stopping.Token);
                await behaviour(stream, stopping.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up, which is what these faults are for.
            }
        }
    }

    private static async Task ReadRequestHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var tail = 0u;
        var one = new byte[1];
        while (tail != 0x0D0A0D0A && await stream.ReadAsync(one, cancellationToken) == 1)
        {
            tail = (tail << 8) | one[0];
        }
    }
}
