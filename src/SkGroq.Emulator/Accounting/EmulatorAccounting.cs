using System.Collections.Concurrent;
using SkGroq.Configuration;
using SkGroq.Emulator.Faults;

namespace SkGroq.Emulator.Accounting;

/// <summary>What the emulator received and charged, per API key and model, so a client's usage ledger can be checked against it exactly.</summary>
public sealed class EmulatorAccounting
{
    private readonly ConcurrentDictionary<(string Key, string Model), UsageCounters> _usage = new();
    private readonly long[] _faults = new long[Enum.GetValues<EmulatorFaultKind>().Length];
    private long _received;
    private long _unauthorized;
    private long _unknownUrls;

    internal EmulatorAccounting()
    {
    }

    /// <summary>Gets every request received on the API (control endpoints excluded), including refused ones.</summary>
    public long RequestsReceived => Interlocked.Read(ref _received);

    /// <summary>Gets the 401 answers.</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Gets the 404 <c>unknown_url</c> answers.</summary>
    public long UnknownUrls => Interlocked.Read(ref _unknownUrls);

    /// <summary>Gets the injected faults by kind.</summary>
    public IReadOnlyDictionary<EmulatorFaultKind, long> FaultsSent
        => Enum.GetValues<EmulatorFaultKind>().Where(k => Interlocked.Read(ref _faults[(int)k]) > 0).ToDictionary(k => k, k => Interlocked.Read(ref _faults[(int)k]));

    /// <summary>Gets what one key used of one model (zeros when it never asked).</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="model">The model id.</param>
    /// <returns>The usage.</returns>
    public EmulatorUsage Get(string apiKey, string model)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        ArgumentNullException.ThrowIfNull(model);
        return _usage.TryGetValue((apiKey, model), out UsageCounters? counters)
            ? counters.Snapshot(GroqApiKey.Redact(apiKey))
            : new EmulatorUsage(GroqApiKey.Redact(apiKey), string.Empty, model);
    }

    /// <summary>Gets every (key, model) pair that was used, keys redacted.</summary>
    /// <returns>The usage rows, ordered by organization, key and model.</returns>
    public IReadOnlyList<EmulatorUsage> Snapshot()
        => _usage.Values.Select(c => c.Snapshot(GroqApiKey.Redact(c.ApiKey)))
            .OrderBy(u => u.Organization, StringComparer.Ordinal).ThenBy(u => u.ApiKey, StringComparer.Ordinal).ThenBy(u => u.Model, StringComparer.Ordinal)
            .ToList();

    /// <summary>Gets the sum over every key and model.</summary>
    /// <returns>The totals (key and organization <c>*</c>).</returns>
    public EmulatorUsage Totals()
    {
        var total = new EmulatorUsage("*", "*", "*");
        foreach (EmulatorUsage u in Snapshot())
        {
            total = total with
            {
                Requests = total.Requests + u.Requests,
                Succeeded = total.Succeeded + u.Succeeded,
                PromptTokens = total.PromptTokens + u.PromptTokens,
                CompletionTokens = total.CompletionTokens + u.CompletionTokens,
                RateLimited = total.RateLimited + u.RateLimited,
                TooLarge = total.TooLarge + u.TooLarge,
                Faults = total.Faults + u.Faults,
                Rejected = total.Rejected + u.Rejected,
                Incomplete = total.Incomplete + u.Incomplete,
            };
        }

        return total;
    }

    /// <summary>Forgets everything counted so far (rate-limit buckets are not touched).</summary>
    public void Reset()
    {
        _usage.Clear();
        Array.Clear(_faults);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _unauthorized, 0);
        Interlocked.Exchange(ref _unknownUrls, 0);
    }

    internal void Received() => Interlocked.Increment(ref _received);

    internal void Unauthorize() => Interlocked.Increment(ref _unauthorized);

    internal void UnknownUrl() => Interlocked.Increment(ref _unknownUrls);

    internal void FaultSent(EmulatorFaultKind kind) => Interlocked.Increment(ref _faults[(int)kind]);

    internal UsageCounters For(string apiKey, string organization, string model)
        => _usage.GetOrAdd((apiKey, model), static (k, org) => new UsageCounters(k.Key, org, k.Model), organization);
}
