namespace Aggregator.Parsing;

/// <summary>Feed dates as outlets really write them (RFC 822, localised French, ISO 8601), as UTC.</summary>
internal static class DateParser
{
    public static DateTimeOffset? Parse(string? text) => throw new NotImplementedException();
}
