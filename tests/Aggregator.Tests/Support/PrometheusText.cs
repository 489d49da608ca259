using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Tests.Support;

/// <summary>A scrape of GET /metrics in the Prometheus text format, read sample by sample.</summary>
internal sealed partial class PrometheusText(string text)
{
    public IEnumerable<string> Names => text.Split('\n').Select(line => Sample().Match(line)).Where(m => m.Success).Select(m => m.Groups["name"].Value).Distinct();

    /// <summary>The sum of a metric's samples that carry all these labels (0 when it has none yet).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        text.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name)
            .Where(m => labels.All(l => m.Groups["labels"].Value.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex Sample();
}
