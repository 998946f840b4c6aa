namespace SkGroq.Emulator.Accounting;

/// <summary>Mutable, thread-safe counters behind one <see cref="EmulatorUsage"/>.</summary>
internal sealed class UsageCounters(string apiKey, string organization, string model)
{
    private long _requests;
    private long _succeeded;
    private long _promptTokens;
    private long _completionTokens;
    private long _rateLimited;
    private long _tooLarge;
    private long _faults;
    private long _rejected;
    private long _incomplete;

    public string ApiKey { get; } = apiKey;

    public string Organization { get; } = organization;

    public string Model { get; } = model;

    public void Request() => Interlocked.Increment(ref _requests);

    public void Succeed() => Interlocked.Increment(ref _succeeded);

    public void Charge(long promptTokens, long completionTokens)
    {
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _completionTokens, completionTokens);
    }

    public void RateLimit() => Interlocked.Increment(ref _rateLimited);

    public void TooLarge() => Interlocked.Increment(ref _tooLarge);

    public void Fault() => Interlocked.Increment(ref _faults);

    public void Reject() => Interlocked.Increment(ref _rejected);

    public void Incomplete() => Interlocked.Increment(ref _incomplete);

    public EmulatorUsage Snapshot(string redactedKey) => new(redactedKey, Organization, Model)
    {
        Requests = Interlocked.Read(ref _requests),
        Succeeded = Interlocked.Read(ref _succeeded),
        PromptTokens = Interlocked.Read(ref _promptTokens),
        CompletionTokens = Interlocked.Read(ref _completionTokens),
        RateLimited = Interlocked.Read(ref _rateLimited),
        TooLarge = Interlocked.Read(ref _tooLarge),
        Faults = Interlocked.Read(ref _faults),
        Rejected = Interlocked.Read(ref _rejected),
        Incomplete = Interlocked.Read(ref _incomplete),
    };
}
