using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aggregator.Tests.Support;

/// <summary>Runs the real Aggregator.dll as a separate process, as a user or an init system would.</summary>
internal sealed class AggregatorProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder errors = new();

    private AggregatorProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(errors, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output => Read(output);

    public string Errors => Read(errors);

    public static AggregatorProcess Start(string workingDirectory, params string[] args) =>
        Start(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts with extra environment variables, as an init system's unit file or docker run -e sets them.</summary>
    public static AggregatorProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Aggregator.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new AggregatorProcess(Process.Start(start)!);
    }

    /// <summary>Runs a command to completion (bounded in time) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string workingDirectory, params string[] args)
    {
        using var run = Start(workingDirectory, args);
        var code = await run.WaitAsync(TimeSpan.FromSeconds(90));
        return (code, run.Output, run.Errors);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Aggregator did not exit within {timeout}. Output:\n{Output}\nErrors:\n{Errors}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as docker stop and systemd send it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
