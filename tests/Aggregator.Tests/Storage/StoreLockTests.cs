using System.Globalization;
using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

public sealed class StoreLockTests : IDisposable
{
    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public void Acquire_LockAndPidFilesLeftByAKilledProcess_TakesThemOver()
    {
        // What SIGKILL leaves behind: the files stay, but the kernel released the dead process's flock.
        File.WriteAllText(data.File("aggregator.lock"), "");
        File.WriteAllText(data.File("aggregator.pid"), "999999");

        using var storeLock = StoreLock.Acquire(data.Path);

        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), File.ReadAllText(data.File("aggregator.pid")));
    }

    [Fact]
    public void Acquire_WhileHeld_IsRefused()
    {
        using var first = StoreLock.Acquire(data.Path);

        Assert.Throws<StoreLockedException>(() => StoreLock.Acquire(data.Path));
    }
}
