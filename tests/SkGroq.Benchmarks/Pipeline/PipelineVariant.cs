namespace SkGroq.Benchmarks.Pipeline;

/// <summary>One row of the comparison: a kind of request through one client.</summary>
/// <param name="Kind">JSON, first token or stream to end.</param>
/// <param name="Client">Which client.</param>
/// <param name="Run">Sends one request; returns the timestamp at which it was done.</param>
internal sealed record PipelineVariant(string Kind, string Client, Func<Task<long>> Run)
{
    public const string SkGroq = "SK via SkGroq";
    public const string SkPlain = "SK, plain HttpClient";
    public const string SkStandard = "SK + standard resilience";
    public const string GroqHttp = "groq HttpClient";
    public const string Bare = "bare HttpClient";

    /// <summary>Gets the fifteen rows over <paramref name="fixture"/>.</summary>
    /// <param name="fixture">The server and clients.</param>
    /// <returns>JSON, first token and stream to end, each through the five clients.</returns>
    public static PipelineVariant[] All(PipelineFixture fixture)
    {
        byte[] buffer = new byte[16 * 1024];
        return
        [
            new("JSON", SkGroq, () => PipelineCalls.SkJsonAsync(fixture.SkGroq, fixture)),
            new("JSON", SkPlain, () => PipelineCalls.SkJsonAsync(fixture.SkPlain, fixture)),
            new("JSON", SkStandard, () => PipelineCalls.SkJsonAsync(fixture.SkStandard, fixture)),
            new("JSON", GroqHttp, () => PipelineCalls.HttpJsonAsync(fixture.GroqHttp, fixture, buffer)),
            new("JSON", Bare, () => PipelineCalls.HttpJsonAsync(fixture.Bare, fixture, buffer)),
            new("first token", SkGroq, () => PipelineCalls.SkFirstTokenAsync(fixture.SkGroq, fixture)),
            new("first token", SkPlain, () => PipelineCalls.SkFirstTokenAsync(fixture.SkPlain, fixture)),
            new("first token", SkStandard, () => PipelineCalls.SkFirstTokenAsync(fixture.SkStandard, fixture)),
            new("first token", GroqHttp, () => PipelineCalls.HttpFirstTokenAsync(fixture.GroqHttp, fixture, buffer)),
            new("first token", Bare, () => PipelineCalls.HttpFirstTokenAsync(fixture.Bare, fixture, buffer)),
            new("stream to end", SkGroq, () => PipelineCalls.SkToEndAsync(fixture.SkGroq, fixture)),
            new("stream to end", SkPlain, () => PipelineCalls.SkToEndAsync(fixture.SkPlain, fixture)),
            new("stream to end", SkStandard, () => PipelineCalls.SkToEndAsync(fixture.SkStandard, fixture)),
            new("stream to end", GroqHttp, () => PipelineCalls.HttpToEndAsync(fixture.GroqHttp, fixture, buffer)),
            new("stream to end", Bare, () => PipelineCalls.HttpToEndAsync(fixture.Bare, fixture, buffer)),
        ];
    }
}
