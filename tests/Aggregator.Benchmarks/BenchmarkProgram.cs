using BenchmarkDotNet.Running;

namespace Aggregator.Benchmarks;

/// <summary>Runs the benchmarks: dotnet run -c Release --project tests/Aggregator.Benchmarks -- --filter '*'</summary>
internal static class BenchmarkProgram
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
