namespace SkGroq.Tests.RateLimiting.Redis.MultiProcess;

/// <summary>A worker's <c>REPORT</c> (tests/SkGroq.QuotaWorker/WorkerReport.cs).</summary>
internal sealed record WorkerResult(
    string Name,
    int Sent,
    int Succeeded,
    Dictionary<string, int> Failures,
    long Tokens,
    string Mode,
    int Outages,
    int Rejoins);
