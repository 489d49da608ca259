namespace Aggregator.Configuration;

/// <summary>An edit of feeds.json that was not applied: when it was seen, its content hash and every problem.</summary>
internal sealed record RefusedEdit(DateTimeOffset At, string Hash, IReadOnlyList<ConfigProblem> Problems);

/// <summary>The configuration in force, shared by the scheduler, the exporter and the endpoints.</summary>
internal sealed class ActiveConfig(AggregatorConfig initial, string path)
{
    // One immutable snapshot, so a reader never sees a configuration with another load's hash or time.
    private Snapshot snapshot = new(initial, null, null, null);

    public string Path { get; } = path;

    public AggregatorConfig Current
    {
        get => Volatile.Read(ref snapshot).Config;
        set => Update(s => s with { Config = value });
    }

    /// <summary>When the configuration in force was read from its file; null until the file has been read by the service.</summary>
    public DateTimeOffset? LoadedAt => Volatile.Read(ref snapshot).LoadedAt;

    /// <summary>SHA-256 of the file's text in force (hex), to compare with what is on disk.</summary>
    public string? Hash => Volatile.Read(ref snapshot).Hash;

    /// <summary>The last edit refused since the configuration in force was loaded; null once a valid edit is applied.</summary>
    public RefusedEdit? LastRefused => Volatile.Read(ref snapshot).Refused;

    /// <summary>Puts a valid configuration in force and forgets any refused edit.</summary>
    public void Accept(AggregatorConfig config, string hash, DateTimeOffset at) =>
        Update(_ => new Snapshot(config, hash, at, null));

    /// <summary>Records an invalid edit; the configuration in force stays.</summary>
    public void Refuse(string hash, IReadOnlyList<ConfigProblem> problems, DateTimeOffset at) =>
        Update(s => s with { Refused = new RefusedEdit(at, hash, problems) });

    /// <summary>The file is back to the content in force: the refused edit no longer describes it.</summary>
    public void ForgetRefused() => Update(s => s with { Refused = null });

    private void Update(Func<Snapshot, Snapshot> change)
    {
        while (true)
        {
            var seen = Volatile.Read(ref snapshot);
            if (Interlocked.CompareExchange(ref snapshot, change(seen), seen) == seen)
            {
                return;
            }
        }
    }

    private sealed record Snapshot(AggregatorConfig Config, string? Hash, DateTimeOffset? LoadedAt, RefusedEdit? Refused);
}
