using System.Collections.Concurrent;
using System.Diagnostics;
using SkGroq.Errors;
using SkGroq.Models;
namespace SkGroq.RateLimiting.Redis;

/// <summary>
/// An instance's own share of the quota while the shared store is unreachable: an <see cref="InMemoryQuotaStore"/> in which every
/// limit is divided by the number of instances, seeded with the shared usage last seen (divided too), and fed Groq's answers
/// scaled the same way. One share per outage.
/// </summary>
internal sealed class LocalQuotaShare
{
    private readonly ISharedQuotaStore _shared;
    private readonly ConcurrentDictionary<QuotaKey, bool> _keys = new();

    /// <summary>Initializes a new instance of the <see cref="LocalQuotaShare"/> class.</summary>
    /// <param name="shared">The shared store, for the limits and usage it last reported.</param>
    /// <param name="instances">The number of instances sharing the quota.</param>
    /// <param name="timeProvider">The clock of the local buckets.</param>
    public LocalQuotaShare(ISharedQuotaStore shared, int instances, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(instances);
        _shared = shared;
        Instances = instances;
        Store = new InMemoryQuotaStore(timeProvider);
    }

    /// <summary>Gets the number of instances sharing the quota.</summary>
    public int Instances { get; }

    /// <summary>Gets the local store.</summary>
    public InMemoryQuotaStore Store { get; }

    /// <summary>Gets the keys this share has admitted or learnt for.</summary>
    public ICollection<QuotaKey> Keys => _keys.Keys;

    /// <summary>Reserves (or peeks) in the local share.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="request">The request, with the organization's whole limits.</param>
    /// <param name="peek">Only says what would happen.</param>
    /// <returns>The decision; an admission's reservation has a negative id and a <see cref="LocalQuotaHandle"/>.</returns>
    public QuotaDecision Reserve(QuotaKey key, in QuotaRequest request, bool peek)
    {
        Seed(key);
        QuotaFigures full = FullLimits(key, request.Limits);

        // Whether a request can ever fit is a question for the whole limit, not the share: a request above the share but
        // within the limit waits until the share is empty, then is admitted with the share's worth reserved (and charged in full when settled).
        long cap = Cap(full, out GroqLimitKind capKind);
        if (request.MinimumTokens > cap)
        {
            return QuotaDecision.NeverFits(capKind, cap, request.MinimumTokens);
        }

        long localCap = cap == long.MaxValue ? long.MaxValue : Share(cap);
        var local = new QuotaRequest(request.Tokens, Math.Min(request.MinimumTokens, localCap), Share(request.Limits)) { Overdraft = request.Overdraft };
        QuotaDecision decision = Completed(peek ? Store.PeekAsync(key, local) : Store.TryReserveAsync(key, local));
        if (!decision.IsAdmitted || peek)
        {
            return decision;
        }

        QuotaReservation reservation = decision.Reservation;
        return QuotaDecision.Admitted(new QuotaReservation(key, -reservation.Id, reservation.Tokens, new LocalQuotaHandle(this, reservation)));
    }

    /// <summary>Learns from one of Groq's answers, scaled to the share: the organization's limits and usage divided by the number of instances.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="observation">What the answer said.</param>
    /// <returns><see langword="true"/> when a limit rose.</returns>
    public bool Learn(QuotaKey key, in QuotaObservation observation)
    {
        Seed(key);

        // Only an answer to one of this share's reservations tells which reservations it has not seen; any other counts all as unseen.
        long id = observation.ReservationId < 0 ? -observation.ReservationId : 0;
        GroqRateLimitHeaders? headers = observation.Headers is { } h
            ? h with
            {
                LimitRequests = Share(h.LimitRequests),
                RemainingRequests = Floor(h.RemainingRequests),
                LimitTokens = Share(h.LimitTokens),
                RemainingTokens = Floor(h.RemainingTokens),
            }
            : null;
        var scaled = new QuotaObservation(headers, id, observation.BodyLimit, Share(observation.BodyLimitValue), Ceiling(observation.BodyUsed));
        return Completed(Store.LearnAsync(key, scaled));
    }

    /// <summary>Pauses the model's admissions in the share.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="duration">How long.</param>
    /// <param name="limit">The limit Groq named.</param>
    public void Pause(QuotaKey key, TimeSpan duration, GroqLimitKind limit)
    {
        Seed(key);
        ValueTask pause = Store.PauseAsync(key, duration, limit);
        Debug.Assert(pause.IsCompletedSuccessfully, "The in-memory store completes synchronously.");
    }

    /// <summary>Gets the usage of a key in the share, scaled back up to the organization (what to merge into the shared store).</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="limits">The organization's limits: the last known shared ones, else the share's scaled up.</param>
    /// <returns>The usage.</returns>
    public QuotaFigures GetOrganizationUsage(QuotaKey key, out QuotaFigures limits)
    {
        QuotaSnapshot snapshot = Completed(Store.GetSnapshotAsync(key));
        if (!_shared.TryGetLastKnown(key, out limits, out _))
        {
            limits = new QuotaFigures(Up(snapshot.RequestsPerMinute.Limit), Up(snapshot.RequestsPerDay.Limit), Up(snapshot.TokensPerMinute.Limit), Up(snapshot.TokensPerDay.Limit));
        }

        return new QuotaFigures(
            Up(snapshot.RequestsPerMinute.Used),
            Up(snapshot.RequestsPerDay.Used),
            Up(snapshot.TokensPerMinute.Used),
            Up(snapshot.TokensPerDay.Used));

        long Up(long? value) => value is > 0 ? checked(value.Value * Instances) : 0;
    }

    private void Seed(QuotaKey key)
    {
        if (!_keys.TryAdd(key, true) || !_shared.TryGetLastKnown(key, out QuotaFigures limits, out QuotaFigures used))
        {
            return;
        }

        // Start from the shared usage last seen, divided like the limits: the share must not admit what others already used.
        // Learning a 429 body sets both the limit and the usage of one limit; the reservation id long.MaxValue means "nothing unseen".
        foreach (GroqLimitKind kind in (ReadOnlySpan<GroqLimitKind>)[GroqLimitKind.RequestsPerMinute, GroqLimitKind.RequestsPerDay, GroqLimitKind.TokensPerMinute, GroqLimitKind.TokensPerDay])
        {
            if (limits[kind] > 0)
            {
                _ = Completed(Store.LearnAsync(key, new QuotaObservation(null, long.MaxValue, kind, Share(limits[kind]), Ceiling(used[kind]))));
            }
        }
    }

    // The in-memory store completes every call synchronously; the share relies on it (no I/O, no awaiting under the caller).
    private static T Completed<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private QuotaFigures FullLimits(QuotaKey key, in ModelLimits configured)
        => _shared.TryGetLastKnown(key, out QuotaFigures limits, out _)
            ? new QuotaFigures(
                limits.RequestsPerMinute > 0 ? limits.RequestsPerMinute : configured.RequestsPerMinute ?? 0,
                limits.RequestsPerDay > 0 ? limits.RequestsPerDay : configured.RequestsPerDay ?? 0,
                limits.TokensPerMinute > 0 ? limits.TokensPerMinute : configured.TokensPerMinute ?? 0,
                limits.TokensPerDay > 0 ? limits.TokensPerDay : configured.TokensPerDay ?? 0)
            : new QuotaFigures(configured.RequestsPerMinute ?? 0, configured.RequestsPerDay ?? 0, configured.TokensPerMinute ?? 0, configured.TokensPerDay ?? 0);

    private static long Cap(in QuotaFigures limits, out GroqLimitKind kind)
    {
        (long cap, kind) = (long.MaxValue, GroqLimitKind.Unknown);
        if (limits.TokensPerMinute > 0)
        {
            (cap, kind) = (limits.TokensPerMinute, GroqLimitKind.TokensPerMinute);
        }

        if (limits.TokensPerDay > 0 && limits.TokensPerDay < cap)
        {
            (cap, kind) = (limits.TokensPerDay, GroqLimitKind.TokensPerDay);
        }

        return cap;
    }

    private ModelLimits Share(in ModelLimits limits)
        => new(Share(limits.RequestsPerMinute), Share(limits.RequestsPerDay), Share(limits.TokensPerMinute), Share(limits.TokensPerDay));

    // A share of a limit is at least 1, so every instance can still send.
    private long Share(long limit) => Math.Max(1, limit / Instances);

    private long? Share(long? limit) => limit is > 0 ? Share(limit.Value) : limit;

    private long? Floor(long? amount) => amount is { } value ? value / Instances : null;

    private long? Ceiling(long? amount) => amount is { } value ? (value + Instances - 1) / Instances : null;
}
