namespace SkGroq.Console.Stress;

/// <summary>What <c>stress rate-limit</c> sends.</summary>
/// <param name="Requests">The number of requests.</param>
/// <param name="Concurrency">How many are in flight (or queued) at once.</param>
/// <param name="Model">The model.</param>
/// <param name="MaxTokens">The largest <c>max_tokens</c>; each request asks for between half of it and all of it.</param>
/// <param name="PromptWords">The longest prompt in words; each request's prompt has between a tenth of it and all of it.</param>
/// <param name="RequestTimeout">Each request's deadline, queueing included: long enough for the queue the limits imply.</param>
/// <param name="Seed">The seed of the mix (sizes, streaming, priorities), so a run can be repeated.</param>
internal sealed record RateLimitStressSettings(
    int Requests,
    int Concurrency,
    string Model,
    int MaxTokens,
    int PromptWords,
    TimeSpan RequestTimeout,
    int Seed = 1);
