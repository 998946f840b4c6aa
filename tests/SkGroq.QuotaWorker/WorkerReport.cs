namespace SkGroq.QuotaWorker;

/// <summary>What one worker did, written as the <c>REPORT</c> line.</summary>
internal sealed record WorkerReport(
    string Name,
    int Sent,
    int Succeeded,
    IReadOnlyDictionary<string, int> Failures,
    long Tokens,
    string Mode,
    int Outages,
    int Rejoins);
