using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

internal static class UsageRecords
{
    public static UsageRecord Make(
        DateTimeOffset at,
        string model = "llama-3.1-8b-instant",
        long prompt = 10,
        long completion = 5,
        decimal? cost = 0.000001m,
        UsageOutcome outcome = UsageOutcome.Ok,
        string? conversation = null,
        string? tenant = null,
        TimeSpan? ttft = null,
        bool cacheHit = false) => new()
        {
            Timestamp = at,
            ModelRequested = model,
            ModelAnswered = outcome == UsageOutcome.Error ? null : model,
            RequestId = "req_" + at.UtcTicks,
            Organization = "key_0123456789ab",
            ConversationId = conversation,
            TenantId = tenant,
            Feature = "chat",
            Streaming = ttft is not null,
            EstimatedPromptTokens = prompt + 1,
            Usage = outcome == UsageOutcome.Error ? null : new GroqUsage(prompt, completion, prompt + completion)
            {
                CachedTokens = 2,
                ReasoningTokens = 1,
                QueueTime = TimeSpan.FromSeconds(0.017371826),
                PromptTime = TimeSpan.FromSeconds(0.003517995),
                CompletionTime = TimeSpan.FromSeconds(0.001015726),
                TotalTime = TimeSpan.FromSeconds(0.004533721),
            },
            CompletionChunks = 3,
            FinishReason = "stop",
            Cost = cost,
            CacheHit = cacheHit,
            Outcome = outcome,
            ErrorKind = outcome == UsageOutcome.Ok ? null : "server_error",
            Attempts = 2,
            TimeToFirstToken = ttft,
            Duration = TimeSpan.FromMilliseconds(812.5),
            QueueWait = TimeSpan.FromMilliseconds(3),
            TokensPerSecond = 123.456789,
        };
}
