namespace Aggregator.Configuration;

/// <summary>The configuration in force, shared by the scheduler, the exporter and the endpoints.</summary>
internal sealed class ActiveConfig(AggregatorConfig initial, string path)
{
    private AggregatorConfig current = initial;

    public string Path { get; } = path;

    public AggregatorConfig Current
    {
        get => Volatile.Read(ref current);
        set => Volatile.Write(ref current, value);
    }
}
