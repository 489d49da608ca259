using Aggregator.Hosting;

namespace Aggregator.Tests.Hosting;

public sealed class QuietTriggerTests
{
    private const long Quiet = 1_000;
    private const long Minimum = 1_000_000;

    [Fact]
    public void IsDue_QuietPeriodAfterWork_IsDueOnce()
    {
        var trigger = new QuietTrigger(Quiet, Minimum);
        trigger.IsDue(0);
        trigger.IsDue(5_000_000);

        Assert.True(trigger.IsDue(5_000_500));
        Assert.False(trigger.IsDue(5_000_600));
    }

    [Fact]
    public void IsDue_FirstPeriod_IsNotDue()
    {
        var trigger = new QuietTrigger(Quiet, Minimum);

        Assert.False(trigger.IsDue(5_000_000));
    }

    [Fact]
    public void IsDue_WhileAllocating_IsNotDue()
    {
        var trigger = new QuietTrigger(Quiet, Minimum);
        trigger.IsDue(0);

        Assert.False(trigger.IsDue(2_000_000));
        Assert.False(trigger.IsDue(4_000_000));
    }

    [Fact]
    public void IsDue_QuietWithLittleAllocatedSinceTheLastTrim_IsNotDue()
    {
        var trigger = new QuietTrigger(Quiet, Minimum);
        trigger.IsDue(0);
        trigger.IsDue(5_000_000);
        trigger.IsDue(5_000_000);
        trigger.IsDue(5_500_000);

        Assert.False(trigger.IsDue(5_500_000));
    }

    [Fact]
    public void IsDue_QuietAgainAfterMoreWork_IsDueAgain()
    {
        var trigger = new QuietTrigger(Quiet, Minimum);
        trigger.IsDue(0);
        trigger.IsDue(5_000_000);
        trigger.IsDue(5_000_000);
        trigger.IsDue(7_000_000);

        Assert.True(trigger.IsDue(7_000_000));
    }
}
