using Aggregator.Configuration;

namespace Aggregator.Tests.Configuration;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 15 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1d", 86400)]
    [InlineData("01:30:00", 5400)]
    [InlineData("0:00:45", 45)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d2h3m4s", 93784)]
    public void TryParse_ValidDuration_ReturnsItsLength(string text, int seconds)
    {
        var parsed = ConfigLoader.TryParseDuration(text, out var value);

        Assert.True(parsed);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("15")]
    [InlineData("0s")]
    [InlineData("00:00:00")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("15 m")]
    [InlineData("15M")]
    [InlineData("m")]
    [InlineData("1w")]
    [InlineData("30m1h")]
    [InlineData("01:60:00")]
    [InlineData("1:2:3")]
    [InlineData("quinze minutes")]
    [InlineData("9999999d")]
    public void TryParse_InvalidDuration_ReturnsFalse(string text)
    {
        var parsed = ConfigLoader.TryParseDuration(text, out var value);

        Assert.False(parsed);
        Assert.Equal(TimeSpan.Zero, value);
    }
}
