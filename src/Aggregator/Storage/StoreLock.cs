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
            var owner = TryReadOwner(PidPath(dataDirectory));
            throw new StoreLockedException(
                $"The data folder {Path.GetFullPath(dataDirectory)} is in use by another Aggregator process{owner}. " +
                "Stop it first, or use its HTTP endpoints (/feed.atom, /health) while it runs.");
        }

        // The lock file itself cannot be read while locked (.NET takes a shared flock to read), so the owner's
        // pid goes beside it, for the message a second process prints.
        File.WriteAllText(PidPath(dataDirectory), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new StoreLock(stream);
    }

    public void Dispose() => stream.Dispose();

    private static string PidPath(string dataDirectory) => Path.Combine(dataDirectory, "aggregator.pid");

    private static string TryReadOwner(string path)
    {
        try
        {
            var pid = File.ReadAllText(path).Trim();
            return pid.Length > 0 ? $" (pid {pid})" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
