using BenchmarkDotNet.Attributes;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;

namespace SkGroq.Benchmarks.Quota;

/// <summary>
/// The limiter's fast path: an uncontended acquire that fits at once, then settling it (target ≤ 1 µs, no allocation).
/// All four limits are set, and high enough never to make the benchmark wait.
/// </summary>
[MemoryDiagnoser]
public class QuotaLimiterBenchmarks : IDisposable
{
    private static readonly QuotaKey s_key = new("org_bench", "llama-3.1-8b-instant");
    private static readonly QuotaRequest s_request = QuotaRequest.Exact(1_100, new ModelLimits(1_000_000_000_000, 1_000_000_000_000, 1_000_000_000_000, 1_000_000_000_000));
    // What Groq reports while its counters lag ours (the usual case: the answers admitted after this one are not in them).
    private static readonly GroqRateLimitHeaders s_headers = new(1_000_000_000_000, 999_999_999_999, TimeSpan.FromMilliseconds(1), 1_000_000_000_000, 999_999_998_900, TimeSpan.FromMilliseconds(1));
    // Groq reporting more use than we count (another process shares the organization): the unseen reservations are counted.
    private static readonly GroqRateLimitHeaders s_headersAhead = new(1_000_000_000_000, 999_000_000_000, TimeSpan.FromMilliseconds(1), 1_000_000_000_000, 999_000_000_000, TimeSpan.FromMilliseconds(1));
    private readonly DateTimeOffset _deadline = DateTimeOffset.MaxValue;
    private InMemoryQuotaStore _store = null!;
    private QuotaLimiter _limiter = null!;
    private ModelQuota _quota = null!;
    private long _now;
    private Queue<QuotaLease> _inFlight = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryQuotaStore(TimeProvider.System);
        _limiter = new QuotaLimiter(_store, TimeProvider.System, maxQueueLength: 1_000);
        _quota = new ModelQuota(s_key);

        // Create the key's state once, as the first request of a process does.
        Completed(Completed(_limiter.AcquireAsync(s_key, s_request, GroqPriority.Interactive, _deadline)).SettleAsync(0));

        // 1,000 answers under way, admitted one after another: the oldest is answered next, as with 1,000 concurrent streams.
        _inFlight = new Queue<QuotaLease>(InFlight + 1);
        for (int i = 0; i < InFlight; i++)
        {
            _inFlight.Enqueue(Completed(_limiter.AcquireAsync(s_key, s_request, GroqPriority.Interactive, _deadline)));
        }
    }

    /// <summary>Gets the answers under way in <see cref="AnswerWith1000InFlight"/>.</summary>
    public static int InFlight => 1_000;

    [GlobalCleanup]
    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the handler does per request on the fast path: acquire (fits at once), then settle to the usage.</summary>
    [Benchmark(Baseline = true)]
    public bool AcquireAndSettle()
    {
        QuotaLease lease = Completed(_limiter.AcquireAsync(s_key, s_request, GroqPriority.Interactive, _deadline));
        return Completed(lease.SettleAsync(350));
    }

    /// <summary>
    /// One request's whole accounting with 1,000 others in flight: admit a new one, then for the oldest learn from Groq's
    /// headers (which have not seen the 999 admitted after it) and settle it. Learning used to count those 999 every time.
    /// </summary>
    [Benchmark]
    public bool AnswerWith1000InFlight() => Answer(s_headers);

    /// <summary>As <see cref="AnswerWith1000InFlight"/>, but Groq reports more use than ours, so the 999 are counted.</summary>
    [Benchmark]
    public bool AnswerWith1000InFlightServerAhead() => Answer(s_headersAhead);

    /// <summary>The in-memory store alone: lock, refill four buckets, check, reserve; then settle.</summary>
    [Benchmark]
    public bool StoreReserveAndSettle()
    {
        QuotaDecision decision = Completed(_store.TryReserveAsync(s_key, s_request));
        return Completed(_store.SettleAsync(decision.Reservation, 350));
    }

    /// <summary>The pure arithmetic alone (no clock, no lock): reserve and settle on one model's buckets.</summary>
    [Benchmark]
    public bool BucketArithmetic()
    {
        _now += TimeSpan.TicksPerMillisecond;
        QuotaDecision decision = _quota.TryReserve(s_request, _now);
        return _quota.Settle(decision.Reservation, 350, _now);
    }

    private bool Answer(GroqRateLimitHeaders headers)
    {
        _inFlight.Enqueue(Completed(_limiter.AcquireAsync(s_key, s_request, GroqPriority.Interactive, _deadline)));
        QuotaLease answered = _inFlight.Dequeue();
        Completed(_limiter.LearnAsync(s_key, new QuotaObservation(headers, answered.Reservation.Id)));
        return Completed(answered.SettleAsync(350));
    }

    // The fast path completes synchronously; anything else would be a bug the benchmark must not hide.
    private static T Completed<T>(ValueTask<T> task)
        => task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("The fast path did not complete synchronously.");

    private static void Completed(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The fast path did not complete synchronously.");
        }
    }
}
