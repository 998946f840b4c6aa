using BenchmarkDotNet.Attributes;
using SkGroq.Tokens.Counting;

namespace SkGroq.Benchmarks.Tokens;

/// <summary>Loading a vocabulary's rank table from Microsoft.ML.Tokenizers' data package, as the first count of a process does.</summary>
/// <remarks>
/// What matters besides the time is what the load leaves to the garbage collector: every byte allocated beyond the table
/// itself is garbage, and large garbage at start-up costs the process a full collection (see docs/BENCHMARKS.md).
/// </remarks>
[MemoryDiagnoser]
public class VocabularyLoadBenchmarks
{
    private readonly string _package = "Microsoft.ML.Tokenizers.Data.";

    [Benchmark]
    public int Cl100kBase() => BpeRanks.LoadPackaged(_package + "Cl100kBase", "cl100k_base.tiktoken.deflate").Count;

    [Benchmark]
    public int O200kBase() => BpeRanks.LoadPackaged(_package + "O200kBase", "o200k_base.tiktoken.deflate").Count;
}
