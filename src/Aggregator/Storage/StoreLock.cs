namespace Aggregator.Storage;

/// <summary>Thrown when another process already holds the data folder.</summary>
internal sealed class StoreLockedException(string message) : Exception(message);

/// <summary>
/// An exclusive lock file beside the database. LiteDB opened by two processes in Direct mode corrupts the
/// file on Linux, so a second process is refused before it opens anything.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream stream;

    private StoreLock(FileStream stream) => this.stream = stream;

    public static StoreLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "aggregator.lock");
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, released by the kernel if we die.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var owner = TryReadOwner(path);
            throw new StoreLockedException(
                $"The data folder {Path.GetFullPath(dataDirectory)} is in use by another Aggregator process{owner}. " +
                "Stop it first, or use its HTTP endpoints (/feed.atom, /health) while it runs.");
        }

        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            writer.Write(Environment.ProcessId);
        }

        stream.Flush(flushToDisk: true);
        return new StoreLock(stream);
    }

    public void Dispose() => stream.Dispose();

    private static string TryReadOwner(string path)
    {
        try
        {
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            var pid = text.ReadToEnd().Trim();
            return pid.Length > 0 ? $" (pid {pid})" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
