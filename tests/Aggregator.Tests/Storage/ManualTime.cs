namespace Aggregator.Tests.Storage;

/// <summary>A clock the test moves by hand, so retention is tested without waiting 30 days.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
