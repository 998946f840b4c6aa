using BenchmarkDotNet.Running;

namespace SkGroq.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project tests/SkGroq.Benchmarks -- --filter '*Quota*'</c>.</summary>
internal static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
