namespace SkGroq.Http;

/// <summary>
/// The order of the <c>groq</c> HttpClient's handlers, outermost first. Written down once here, in <c>AddGroq</c>'s remarks
/// and in the README, and pinned by <c>GroqPipelineTests</c>.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><b>Usage tracking</b> — one usage record per call (cache hits, retries and fallback included), tagged from the ambient context.</item>
/// <item><b>Response cache</b> — before the limiter, so a hit costs no quota; single-flight; serves a stale answer when everything below fails.</item>
/// <item><b>Model fallback</b> — rewrites <c>model</c> to the next model of the chain when one is over capacity, gone, or out of quota; only before the answer reached the caller.</item>
/// <item><b>Resilience</b> (Polly) — the only layer that retries: total deadline, retry with backoff honouring <c>retry-after</c>, circuit breaker per model.</item>
/// <item><b>Rate limiting</b> — per attempt: waits in the queue until the model's RPM/RPD/TPM/TPD admit the request, reserves, then settles to the reported usage.</item>
/// <item><b>Response inspection</b> — the attempt timeout (first byte), Groq's error bodies as typed exceptions, the SSE/JSON usage tap, the stream watchdog and mid-stream error frames.</item>
/// </list>
/// The primary handler is a pooled <see cref="SocketsHttpHandler"/>.
/// </remarks>
public static class GroqPipeline
{
    /// <summary>Gets the handler types of the pipeline, outermost first, as <c>AddGroq</c> registers them.</summary>
    public static IReadOnlyList<Type> HandlerOrder { get; } =
    [
        typeof(Usage.UsageTrackingHandler),
        typeof(Caching.ResponseCachingHandler),

        // Model fallback and resilience go here, in that order.
        typeof(RateLimiting.RateLimitingHandler),
        typeof(Inspection.ResponseInspectionHandler),
    ];
}
