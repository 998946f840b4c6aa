#pragma warning disable IDE0130 // Registration types live in Microsoft.Extensions.DependencyInjection, by .NET convention.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The order of the <c>groq</c> HttpClient's handlers, outermost first. Written down once here, in <c>AddGroq</c>'s remarks
/// and in the README, and pinned by <c>GroqPipelineTests</c>.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><b>Usage tracking</b> — one usage record per call (cache hits, retries and fallback included), tagged from the ambient context.</item>
/// <item><b>Response cache</b> — before the limiter, so a hit costs no quota; single-flight; serves a stale answer when everything below fails.</item>
/// <item><b>Resilience</b> (<see cref="SkGroq.Resilience.GroqResilienceHandler"/>, Polly v8, one pipeline per model) — the only layer that retries or changes model: the request's deadline (one cancellation source for every model, attempt and wait), retry with exponential backoff and jitter honouring <c>retry-after</c> and <c>x-should-retry</c> and never waiting past the deadline, circuit breaker per model; then model fallback (<see cref="SkGroq.Resilience.ModelFallback"/>), which rewrites <c>model</c> (nothing else) to the next model of <c>Groq:Fallbacks</c> when one is over capacity, retired, unknown, its circuit is open, it has no quota before the deadline or its retries ran out (a flex-tier 498 is first sent again as on_demand), only before a response was handed upward.</item>
/// <item><b>Rate limiting</b> — per attempt: waits in the queue until the model's RPM/RPD/TPM/TPD admit the request, reserves, then settles to the reported usage.</item>
/// <item><b>Response inspection</b> — the attempt timeout (first byte), Groq's error bodies as typed exceptions, the SSE/JSON usage tap, the stream watchdog and mid-stream error frames.</item>
/// </list>
/// The primary handler is a pooled <see cref="SocketsHttpHandler"/>.
/// </remarks>
internal static class GroqPipeline
{
    /// <summary>Gets the handler types of the pipeline, outermost first, as <c>AddGroq</c> registers them.</summary>
    public static IReadOnlyList<Type> HandlerOrder { get; } =
    [
        typeof(SkGroq.Usage.Tracking.UsageTrackingHandler),
        typeof(SkGroq.Caching.ResponseCachingHandler),
        typeof(SkGroq.Resilience.GroqResilienceHandler),
        typeof(SkGroq.RateLimiting.RateLimitingHandler),
        typeof(SkGroq.Inspection.ResponseInspectionHandler),
    ];
}
