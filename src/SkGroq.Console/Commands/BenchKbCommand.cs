using System.CommandLine;
using System.Globalization;
using SkGroq.Console.Bench.KnowledgeBase;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Tokens;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>bench kb</c>: the knowledge base's speed — model load, embedding throughput against the wrapper, indexing, and search latency by index size against the former in-memory BM25.</summary>
internal static class BenchKbCommand
{
    private static readonly Option<string> s_sizes = new("--chunks") { Description = "Index sizes to measure search at, comma-separated.", DefaultValueFactory = _ => "1000,10000" };
    private static readonly Option<int> s_queries = new("--queries") { Description = "Searches per size and mode.", DefaultValueFactory = _ => 200 };
    private static readonly Option<int> s_texts = new("--texts") { Description = "Texts embedded by each encoder for the throughput comparison.", DefaultValueFactory = _ => 64 };
    private static readonly Option<string> s_gold = new("--gold") { Description = "The gold set whose corpus is indexed (default: samples/kb-eval/gold.json).", DefaultValueFactory = _ => Path.Combine("samples", "kb-eval", "gold.json") };

    public static Command Create()
    {
        var command = new Command("kb", "Knowledge-base speed: embedding model load, embedding throughput (ours vs the SentenceTransformers wrapper's Encode, and how equal their vectors are), indexing chunks/s and peak memory, search latency p50/p95 per mode at each index size beside the former in-memory BM25.")
        {
            s_sizes,
            s_queries,
            s_texts,
            s_gold,
        };
        CommandRunner.SetAction(command, RunAsync, needsServer: false);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        int[] sizes;
        try
        {
            sizes = context.Get(s_sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new HarnessUsageException($"--chunks '{context.Get(s_sizes)}' is not a list of numbers, e.g. 1000,10000.");
        }

        if (sizes.Length == 0 || sizes.Any(s => s is < 1 or > 1_000_000) || context.Get(s_queries) < 1 || context.Get(s_texts) < 1)
        {
            throw new HarnessUsageException("--chunks sizes must be 1 to 1,000,000, and --queries and --texts at least 1.");
        }

        string gold = Path.GetFullPath(context.Get(s_gold)!);
        if (!File.Exists(gold))
        {
            throw new HarnessUsageException($"There is no gold set at '{gold}'. Run from the repository root, or pass --gold <file>.");
        }

        ITokenCounter counter = context.Session.Get<TokenCounterProvider>().GetCounter(context.Session.Options.Model);
        HarnessOutput output = context.Output;
        var runner = new KbBenchRunner(gold, text => counter.CountTokens(text), TimeProvider.System);
        KbBenchReport report = await runner.RunAsync(sizes, context.Get(s_queries), context.Get(s_texts), new Progress<string>(output.Status), cancellationToken);
        if (output.Json)
        {
            output.WriteJson(report);
            return ExitCodes.Success;
        }

        output.Out.MarkupLine($"[bold]{Markup.Escape(report.Embedder)}[/] on {report.Processors} processors · model load {report.ModelLoadMs:N0} ms");
        var embedding = new Table().AddColumns("encoder", "texts", "tokens", "texts/s", "tokens/s");
        embedding.AddRow("ours (length-sorted batches)", report.Ours.Texts.ToString(CultureInfo.InvariantCulture), report.Ours.Tokens.ToString(CultureInfo.InvariantCulture), F(report.Ours.TextsPerSecond), F(report.Ours.TokensPerSecond));
        embedding.AddRow("wrapper Encode (baseline)", report.Wrapper.Texts.ToString(CultureInfo.InvariantCulture), report.Wrapper.Tokens.ToString(CultureInfo.InvariantCulture), F(report.Wrapper.TextsPerSecond), F(report.Wrapper.TokensPerSecond));
        output.Out.Write(embedding);
        output.Out.MarkupLine($"speed-up {report.Ours.TokensPerSecond / report.Wrapper.TokensPerSecond:F2}× · same token ids in {report.SameTokenTexts} of {report.Ours.Texts} texts, their vectors' cosine ≥ {report.MinCosineSameTokens:F6} · all texts: min {report.MinCosineToWrapper:F5}, mean {report.MeanCosineToWrapper:F5}");
        output.Out.MarkupLine($"indexing: {report.Indexing.Documents} documents, {report.Indexing.Chunks} chunks in {report.Indexing.Seconds:F1} s ({report.Indexing.ChunksPerSecond:F1} chunks/s embedded) · peak working set {report.Indexing.PeakWorkingSetBytes / (1024 * 1024):N0} MB");
        var latency = new Table().AddColumns("chunks", "search", "p50 ms", "p95 ms", "max ms", "n");
        foreach (QueryLatency row in report.Queries)
        {
            latency.AddRow(row.Chunks.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(row.Mode), F(row.Latency.P50), F(row.Latency.P95), F(row.Latency.Max), row.Latency.Count.ToString(CultureInfo.InvariantCulture));
        }

        output.Out.Write(latency);
        return ExitCodes.Success;
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
