using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SkGroq.Emulator;
using SkGroq.Emulator.Chat;
using SkGroq.Emulator.Hosting;
using SkGroq.Emulator.Wire;
using SkGroq.Models;

namespace SkGroq.Benchmarks.Emulator;

/// <summary>
/// The emulator's per-request work without the network: parse and validate, count the prompt, plan a generated answer,
/// write the JSON body, write the SSE chunks. The end-to-end throughput (Kestrel and wrk included) is measured by run.sh.
/// </summary>
[MemoryDiagnoser]
public class EmulatorHotPathBenchmarks
{
    private readonly EmulatorState _state = new(new GroqEmulatorOptions());
    private readonly byte[][] _bodies = new byte[64][];
    private ModelInfo _model = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _state.Catalog.TryGet("llama-3.1-8b-instant", out ModelInfo? model);
        _model = model!;
        for (int i = 0; i < _bodies.Length; i++)
        {
            _bodies[i] = Encoding.UTF8.GetBytes(
                $$"""{"model":"llama-3.1-8b-instant","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Question number {{i}}: how do token buckets refill?"}],"max_tokens":32}""");
        }
    }

    [Benchmark]
    public bool ParseAndValidate()
    {
        using var document = JsonDocument.Parse(Next());
        return ChatRequestParser.Parse(document, _state.Behavior, out _) is null;
    }

    [Benchmark]
    public int CountPrompt() => _state.Tokenizer.CountPromptTokens(_model.Id, Next());

    [Benchmark]
    public int PlanGeneratedAnswer()
    {
        byte[] body = Next();
        using var document = JsonDocument.Parse(body);
        ChatRequestParser.Parse(document, _state.Behavior, out ChatRequest? request);
        return _state.Planner.Plan(request!, _model, 41, null, (ulong)_next * 0x9E3779B97F4A7C15UL).CompletionTokens;
    }

    [Benchmark]
    public int WholeJsonAnswer()
    {
        byte[] body = Next();
        using var document = JsonDocument.Parse(body);
        ChatRequestParser.Parse(document, _state.Behavior, out ChatRequest? request);
        int prompt = _state.Tokenizer.CountPromptTokens(_model.Id, body);
        ReplyPlan plan = _state.Planner.Plan(request!, _model, prompt, null, (ulong)_next * 0x9E3779B97F4A7C15UL);
        var header = new CompletionHeader(Ids.CompletionId(), 1_790_000_000, _model.Id, _state.FingerprintOf(_model.Id), Ids.RequestId(DateTimeOffset.UnixEpoch), plan.Seed);
        using var output = new PooledBufferWriter(1024);
        Utf8JsonWriter writer = JsonWriting.Rent(output);
        CompletionJson.WriteCompletion(writer, header, plan, new UsageNumbers(12_000_000, prompt, 900_000, plan.CompletionTokens, 64_000_000, 0), _state.Behavior);
        JsonWriting.Return(writer);
        return output.WrittenCount;
    }

    [Benchmark]
    public long StreamChunks()
    {
        byte[] body = Next();
        using var document = JsonDocument.Parse(body);
        ChatRequestParser.Parse(document, _state.Behavior, out ChatRequest? request);
        ReplyPlan plan = _state.Planner.Plan(request!, _model, 41, null, (ulong)_next * 0x9E3779B97F4A7C15UL);
        var header = new CompletionHeader(Ids.CompletionId(), 1_790_000_000, _model.Id, _state.FingerprintOf(_model.Id), Ids.RequestId(DateTimeOffset.UnixEpoch), plan.Seed);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        using var sse = new SseWriter(pipe.Writer);
        sse.RoleChunk(header, contentNull: false);
        foreach (TextPiece piece in plan.Content.Pieces)
        {
            sse.DeltaChunk(header, piece.Text, reasoning: false, channel: false);
        }

        sse.FinishChunk(header, plan.FinishReason, new UsageNumbers(12_000_000, 41, 900_000, plan.CompletionTokens, 64_000_000, 0), topLevelUsage: true);
        sse.Done();
        long written = pipe.Writer.UnflushedBytes;
        pipe.Writer.Complete();
        pipe.Reader.Complete();
        return written;
    }

    private byte[] Next() => _bodies[_next++ & (_bodies.Length - 1)];
}
