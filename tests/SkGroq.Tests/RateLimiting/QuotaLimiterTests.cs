using Microsoft.Extensions.Time.Testing;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.Tests.Context;
using static System.FormattableString;

namespace SkGroq.Tests.RateLimiting;

public sealed class QuotaLimiterTests : IDisposable
{
    private const string Model = "llama-3.1-8b-instant";
    private static readonly QuotaKey s_key = new("org_test", Model);
    private static readonly ModelLimits s_tpm = new(null, null, 6_000, null);
    private static readonly TimeSpan s_guard = TimeSpan.FromTicks(QuotaBucket.GuardTicks);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryQuotaStore _store;
    private readonly QuotaLimiter _limiter;

    public QuotaLimiterTests()
    {
        _store = new InMemoryQuotaStore(_time);
        _limiter = new QuotaLimiter(_store, _time, maxQueueLength: 100);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset In(double seconds) => _time.GetUtcNow() + TimeSpan.FromSeconds(seconds);

    public void Dispose() => _limiter.Dispose();

    [Fact]
    public async Task Acquire_Fits_CompletesSynchronouslyWithoutWaiting()
    {
        ValueTask<QuotaLease> acquire = _limiter.AcquireAsync(s_key, QuotaRequest.Exact(1_000, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);

        Assert.True(acquire.IsCompletedSuccessfully);
        QuotaLease lease = await acquire;
        Assert.Equal(TimeSpan.Zero, lease.Wait);
        Assert.Equal(GroqLimitKind.Unknown, lease.WaitedFor);
        Assert.Equal(1_000, lease.Reservation.Tokens);
    }

    [Fact]
    public async Task Acquire_TheTimeTheServerNamedHasCome_IsAdmittedAtOnce_PastTheLocalEstimateAndTheQueue()
    {
        // The recorded case: Groq refused 400 tokens with 41 left of 6,000 and said "try again in 1s". The local bucket alone
        // would hold the retry for (400 - 41 - 100) / 100 tokens a second ≈ 2.6 s more; the server's word wins.
        await _limiter.AcquireAsync(s_key, QuotaRequest.Exact(5_959, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);
        DateTimeOffset serverAdmitsAt = In(1);
        Task<QuotaLease> other = Acquire(400);
        _time.Advance(TimeSpan.FromSeconds(1));

        ValueTask<QuotaLease> retry = _limiter.AcquireAsync(s_key, QuotaRequest.Exact(400, s_tpm), GroqPriority.Interactive, In(60), serverAdmitsAt: serverAdmitsAt, cancellationToken: Ct);

        Assert.True(retry.IsCompletedSuccessfully);
        Assert.Equal(400, (await retry).Reservation.Tokens);
        Assert.False(other.IsCompleted);
    }

    [Fact]
    public async Task Acquire_RequestsRefusedTogether_OnlyOneGoesOnTheServersWord_TheOthersWaitForTheLimit()
    {
        // Ten requests refused at once all hear "try again in 1s"; the room the server meant is for one of them.
        await _limiter.AcquireAsync(s_key, QuotaRequest.Exact(5_959, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);
        DateTimeOffset word = In(1);
        _time.Advance(TimeSpan.FromSeconds(1));

        ValueTask<QuotaLease> first = _limiter.AcquireAsync(s_key, QuotaRequest.Exact(400, s_tpm), GroqPriority.Interactive, In(60), serverAdmitsAt: word, cancellationToken: Ct);
        ValueTask<QuotaLease> second = _limiter.AcquireAsync(s_key, QuotaRequest.Exact(400, s_tpm), GroqPriority.Interactive, In(60), serverAdmitsAt: word, cancellationToken: Ct);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(400, (await second.AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct)).Reservation.Tokens);

        // A later word is a new one.
        ValueTask<QuotaLease> later = _limiter.AcquireAsync(s_key, QuotaRequest.Exact(6_000, s_tpm), GroqPriority.Interactive, In(60), serverAdmitsAt: _time.GetUtcNow(), cancellationToken: Ct);
        Assert.True(later.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Acquire_SharedStore_WaitsForTheSharedFiguresInsteadOfTheServersWord()
    {
        // Other processes take the room a word meant: with a shared quota the retry waits like any other request.
        var shared = new DelegatingQuotaStore(new InMemoryQuotaStore(_time)) { IsShared = true };
        using var limiter = new QuotaLimiter(shared, _time, maxQueueLength: 100);
        await limiter.AcquireAsync(s_key, QuotaRequest.Exact(5_959, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);
        DateTimeOffset word = In(1);
        _time.Advance(TimeSpan.FromSeconds(1));

        ValueTask<QuotaLease> retry = limiter.AcquireAsync(s_key, QuotaRequest.Exact(400, s_tpm), GroqPriority.Interactive, In(60), serverAdmitsAt: word, cancellationToken: Ct);

        Assert.False(retry.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(400, (await retry.AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct)).Reservation.Tokens);
    }

    [Fact]
    public async Task Acquire_TheTimeTheServerNamedIsAhead_WaitsAsUsual()
    {
        await _limiter.AcquireAsync(s_key, QuotaRequest.Exact(5_959, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);

        ValueTask<QuotaLease> early = _limiter.AcquireAsync(s_key, QuotaRequest.Exact(400, s_tpm), GroqPriority.Interactive, In(60), serverAdmitsAt: In(1), cancellationToken: Ct);

        Assert.False(early.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(400, (await early.AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct)).Reservation.Tokens);
    }

    [Fact]
    public async Task Acquire_TheServersTime_StillWaitsForALongerPauseTheServerReported()
    {
        await _limiter.PauseAsync(s_key, TimeSpan.FromSeconds(30), GroqLimitKind.TokensPerDay, Ct);

        Task<QuotaLease> retry = _limiter.AcquireAsync(s_key, QuotaRequest.Exact(400, s_tpm), GroqPriority.Interactive, In(60), serverAdmitsAt: In(0), cancellationToken: Ct).AsTask();

        Assert.False(retry.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(400, (await retry.WaitAsync(TimeSpan.FromSeconds(30), Ct)).Reservation.Tokens);
    }

    [Fact]
    public async Task Acquire_RequestsPerMinuteSpent_IsAdmittedByTheTimerExactlyWhenOneRefills()
    {
        var limits = new ModelLimits(1, null, null, null);
        await _limiter.AcquireAsync(s_key, QuotaRequest.Exact(10, limits), GroqPriority.Interactive, In(120), cancellationToken: Ct);

        Task<QuotaLease> waiting = Acquire(10, limits, deadline: In(120));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, _limiter.GetQueueLength(s_key));

        // A whole minute to refill the one request, plus the guard (the bucket must be full that long; see QuotaBucket).
        _time.Advance(TimeSpan.FromSeconds(60) + s_guard - TimeSpan.FromTicks(1));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));

        QuotaLease lease = await waiting;
        Assert.Equal(TimeSpan.FromSeconds(60) + s_guard, lease.Wait);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, lease.WaitedFor);
        Assert.Equal(0, _limiter.GetQueueLength(s_key));
    }

    [Fact]
    public async Task Acquire_WaitingForTokens_IsWokenAtOnceByASettleThatRefunds()
    {
        QuotaLease first = await Acquire(6_000);
        Task<QuotaLease> waiting = Acquire(1_000);
        Assert.False(waiting.IsCompleted);

        Assert.True(await first.SettleAsync(700, Ct));

        QuotaLease lease = await waiting;
        Assert.Equal(GroqLimitKind.TokensPerMinute, lease.WaitedFor);
        Assert.Equal(TimeSpan.Zero, lease.Wait);
    }

    [Fact]
    public async Task Acquire_WaitingForTokens_IsWokenAtOnceByARelease()
    {
        QuotaLease first = await Acquire(6_000);
        Task<QuotaLease> waiting = Acquire(6_000);

        Assert.True(await first.ReleaseAsync(Ct));

        Assert.Equal(6_000, (await waiting).Reservation.Tokens);
    }

    [Fact]
    public async Task Acquire_QuotaFreedByAnotherProcess_WakesTheQueue()
    {
        var store = new DelegatingQuotaStore(_store);
        using var limiter = new QuotaLimiter(store, _time, 100);
        QuotaLease first = await limiter.AcquireAsync(s_key, QuotaRequest.Exact(6_000, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);
        Task<QuotaLease> waiting = limiter.AcquireAsync(s_key, QuotaRequest.Exact(1_000, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct).AsTask();

        // Settled behind the limiter's back, as another process would on a shared store.
        await _store.SettleAsync(first.Reservation, 0, Ct);
        Assert.False(waiting.IsCompleted);
        store.RaiseFreedElsewhere(s_key);

        await waiting;
    }

    [Fact]
    public async Task Acquire_InteractiveArrivingLater_IsServedBeforeWaitingBackgroundWork()
    {
        QuotaLease first = await Acquire(6_000);
        Task<QuotaLease> background = Acquire(1_000, priority: GroqPriority.Background);
        Task<QuotaLease> interactive = Acquire(1_000, priority: GroqPriority.Interactive);

        await first.SettleAsync(5_000, Ct); // frees room for one of them

        Assert.True(interactive.IsCompletedSuccessfully);
        Assert.False(background.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(10) + s_guard);
        await background;
    }

    [Fact]
    public async Task Acquire_LargeRequestFirst_IsNotStarvedBySmallerOnesBehindIt()
    {
        QuotaLease first = await Acquire(6_000);
        Task<QuotaLease> large = Acquire(5_000);
        await first.SettleAsync(2_000, Ct); // 4,000 free: the large one does not fit yet

        // A small request would fit, but waits behind the large one (first come, first served within a priority).
        Task<QuotaLease> small = Acquire(100);
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(10) + s_guard); // 1,000 more tokens: the large one fits
        QuotaLease largeLease = await large;
        Assert.False(small.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await small).Reservation.Id > largeLease.Reservation.Id);
    }

    [Fact]
    public async Task Acquire_BackgroundBehindBackground_KeepsArrivalOrder()
    {
        QuotaLease first = await Acquire(6_000);
        Task<QuotaLease> a = Acquire(3_000, priority: GroqPriority.Background);
        Task<QuotaLease> b = Acquire(100, priority: GroqPriority.Background);

        await first.SettleAsync(3_000, Ct);
        Assert.True(a.IsCompletedSuccessfully);
        Assert.False(b.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1) + s_guard);

        Assert.True((await b).Reservation.Id > (await a).Reservation.Id);
    }

    [Fact]
    public async Task Acquire_FreeTimePastTheDeadline_FailsAtOnceNamingTheLimitAndWhenItFrees()
    {
        await Acquire(6_000);

        Task<QuotaLease> refused = Acquire(2_000, deadline: In(5));

        Assert.True(refused.IsFaulted);
        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(() => refused);
        Assert.Equal(GroqRateLimitReason.RateLimitTimeout, error.Reason);
        Assert.Equal(GroqLimitKind.TokensPerMinute, error.Limit);
        Assert.Equal(6_000, error.LimitValue);
        Assert.Equal(2_000, error.Requested);
        Assert.Equal(TimeSpan.FromSeconds(20) + s_guard, error.Wait);
        Assert.Equal(In(20) + s_guard, error.FreesAt);
        Assert.Equal(Model, error.Model);
        Assert.Equal("rate_limit_timeout", error.Kind);
        Assert.Contains(Invariant($"tokens/minute on llama-3.1-8b-instant (limit 6,000) frees at 12:00:20 UTC (in {20 + s_guard.TotalSeconds:F1} s)"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Raise the request's timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _limiter.GetQueueLength(s_key));
    }

    [Fact]
    public async Task Acquire_DailyLimitSpent_FailsAtOnceSayingWhenItFrees()
    {
        var limits = new ModelLimits(null, 1_000, null, null);
        for (int i = 0; i < 1_000; i++)
        {
            await _limiter.AcquireAsync(s_key, QuotaRequest.Exact(1, limits), GroqPriority.Interactive, In(60), cancellationToken: Ct);
        }

        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(() => Acquire(1, limits, deadline: In(60)));

        Assert.Equal(GroqLimitKind.RequestsPerDay, error.Limit);
        Assert.Equal(TimeSpan.FromSeconds(86.4) + s_guard, error.Wait);
        Assert.Contains("requests/day on llama-3.1-8b-instant", error.Message, StringComparison.Ordinal);
        Assert.Contains("Daily limits free slowly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acquire_StillWaitingAtItsDeadline_FailsThenWithTheTimeWaited()
    {
        await Acquire(6_000);
        Task<QuotaLease> large = Acquire(6_000, deadline: In(90)); // fits in 60 s
        Task<QuotaLease> small = Acquire(100, deadline: In(30));   // alone it would fit in 1 s, but waits its turn

        _time.Advance(TimeSpan.FromSeconds(30));

        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(() => small);
        Assert.Equal(GroqRateLimitReason.RateLimitTimeout, error.Reason);
        Assert.Contains("Waited 30.0 s for its turn in the queue of llama-3.1-8b-instant (1 earlier requests waiting)", error.Message, StringComparison.Ordinal);
        Assert.False(large.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(30) + s_guard);
        await large;
    }

    [Fact]
    public async Task Settle_ChargePushesTheFreeTimePastAWaitersDeadline_FailsItAtOnceNamingTheLimit()
    {
        QuotaLease first = await Acquire(6_000);
        Task<QuotaLease> waiting = Acquire(3_000, deadline: In(40)); // fits in 30 s
        _time.Advance(TimeSpan.FromSeconds(5));

        await first.SettleAsync(8_000, Ct); // used more than reserved: now it fits only in 50 s from the start

        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(() => waiting);
        Assert.Equal(GroqLimitKind.TokensPerMinute, error.Limit);
        Assert.Equal(TimeSpan.FromSeconds(45) + s_guard, error.Wait);
        Assert.StartsWith(Invariant($"Waited 5.0 s for tokens/minute on llama-3.1-8b-instant (limit 6,000); it frees at 12:00:50 UTC (in {45 + s_guard.TotalSeconds:F1} s), after the request's deadline."), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_PastAWaitersDeadline_FailsItAtOnce()
    {
        await Acquire(6_000);
        Task<QuotaLease> waiting = Acquire(2_000, deadline: In(30));
        Assert.False(waiting.IsCompleted);

        await _limiter.PauseAsync(s_key, TimeSpan.FromSeconds(45), GroqLimitKind.RequestsPerMinute, Ct);

        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(() => waiting);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, error.Limit);
        Assert.Equal(TimeSpan.FromSeconds(45), error.Wait);
    }

    [Fact]
    public async Task Pause_WithinTheDeadline_AdmitsWhenThePauseEnds()
    {
        await _limiter.PauseAsync(s_key, TimeSpan.FromSeconds(2), GroqLimitKind.RequestsPerMinute, Ct);

        Task<QuotaLease> waiting = Acquire(10, deadline: In(60));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(GroqLimitKind.RequestsPerMinute, (await waiting).WaitedFor);
    }

    [Fact]
    public async Task Acquire_QueueFull_IsRejectedClearly()
    {
        using var limiter = new QuotaLimiter(_store, _time, maxQueueLength: 2);
        await limiter.AcquireAsync(s_key, QuotaRequest.Exact(6_000, s_tpm), GroqPriority.Interactive, In(600), cancellationToken: Ct);
        _ = limiter.AcquireAsync(s_key, QuotaRequest.Exact(100, s_tpm), GroqPriority.Interactive, In(600), cancellationToken: Ct).AsTask();
        _ = limiter.AcquireAsync(s_key, QuotaRequest.Exact(100, s_tpm), GroqPriority.Background, In(600), cancellationToken: Ct).AsTask();

        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(
            () => limiter.AcquireAsync(s_key, QuotaRequest.Exact(100, s_tpm), GroqPriority.Interactive, In(600), cancellationToken: Ct).AsTask());

        Assert.Equal(GroqRateLimitReason.QueueFull, error.Reason);
        Assert.Equal("queue_full", error.Kind);
        Assert.Contains("Groq:RateLimiting:MaxQueueLength", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, limiter.GetQueueLength(s_key));
    }

    [Fact]
    public async Task Acquire_LargerThanTheTokenLimit_FailsAtOnceAsTooLarge()
    {
        GroqRequestTooLargeException error = await Assert.ThrowsAsync<GroqRequestTooLargeException>(() => Acquire(7_500));

        Assert.True(error.IsLocal);
        Assert.Equal(GroqLimitKind.TokensPerMinute, error.Limit);
        Assert.Equal(6_000, error.LimitValue);
        Assert.Equal(7_500, error.Requested);
        Assert.Contains("Lower max tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokens/minute limit of llama-3.1-8b-instant is 6,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acquire_LargerThanTheTokenLimitWithOthersWaiting_StillFailsAtOnce()
    {
        await Acquire(6_000);
        _ = Acquire(100);

        Task<QuotaLease> refused = Acquire(7_500);

        Assert.True(refused.IsFaulted);
        await Assert.ThrowsAsync<GroqRequestTooLargeException>(() => refused);
    }

    [Fact]
    public async Task Cancel_RemovesTheWaiterAtOnce()
    {
        await Acquire(6_000);
        using var cts = new CancellationTokenSource();
        Task<QuotaLease> waiting = Acquire(1_000, cancellation: cts);

        await cts.CancelAsync();

        Assert.True(waiting.IsCanceled);
        Assert.Equal(0, _limiter.GetQueueLength(s_key));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Cancel_OfTheHead_LetsTheNextRequestThrough()
    {
        QuotaLease first = await Acquire(6_000);
        await first.SettleAsync(5_900, Ct); // 100 free
        using var cts = new CancellationTokenSource();
        Task<QuotaLease> head = Acquire(6_000, cancellation: cts);
        Task<QuotaLease> next = Acquire(100);
        Assert.False(next.IsCompleted);

        await cts.CancelAsync();

        Assert.True(next.IsCompletedSuccessfully);
        Assert.True(head.IsCanceled);
    }

    [Fact]
    public async Task Acquire_AlreadyCancelled_DoesNotReserve()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Acquire(100, cancellation: cts));

        Assert.Equal(0, (await _store.GetSnapshotAsync(s_key, Ct)).InFlightRequests);
    }

    [Fact]
    public async Task Dispose_FailsEveryWaiter_AndRefusesNewRequests()
    {
        await Acquire(6_000);
        Task<QuotaLease> a = Acquire(1_000);
        Task<QuotaLease> b = Acquire(1_000, priority: GroqPriority.Background);

        _limiter.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => a);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => b);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Acquire(1));
    }

    [Fact]
    public async Task Learn_RaisedLimit_AdmitsWaitersAtOnce()
    {
        QuotaLease first = await Acquire(6_000);
        Task<QuotaLease> waiting = Acquire(3_000);

        await _limiter.LearnAsync(s_key, new QuotaObservation(new GroqRateLimitHeaders(null, null, null, 12_000, 6_000, null), first.Reservation.Id), Ct);

        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Acquire_Waiting_ReportsWhichLimitBindsAndForHowLong()
    {
        await Acquire(6_000);
        var status = new StatusRecorder();

        _ = Acquire(2_000, status: status);

        GroqRequestStatus report = Assert.Single(status.All);
        Assert.Equal(GroqRequestPhase.Queued, report.Phase);
        Assert.Equal(Model, report.Model);
        Assert.Equal(Invariant($"waiting {20 + s_guard.TotalSeconds:F1} s for tokens/minute on llama-3.1-8b-instant"), report.Message);
        Assert.Equal(TimeSpan.FromSeconds(20) + s_guard, report.Wait);
        Assert.Equal("tokens/minute", report.Limit);
    }

    [Fact]
    public async Task Acquire_WaitingBehindOthers_ReportsHowManyAreAhead()
    {
        await Acquire(6_000);
        _ = Acquire(2_000);
        var status = new StatusRecorder();

        _ = Acquire(2_000, status: status);

        Assert.Equal(Invariant($"waiting {20 + s_guard.TotalSeconds:F1} s for tokens/minute on llama-3.1-8b-instant (1 ahead)"), status.All[0].Message);
    }

    [Fact]
    public async Task Acquire_StoreFailsWhileWaiting_TheWaiterGetsTheError()
    {
        var store = new DelegatingQuotaStore(_store);
        using var limiter = new QuotaLimiter(store, _time, 100);
        QuotaLease first = await limiter.AcquireAsync(s_key, QuotaRequest.Exact(6_000, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);
        Task<QuotaLease> waiting = limiter.AcquireAsync(s_key, QuotaRequest.Exact(1_000, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct).AsTask();
        var failure = new InvalidOperationException("store unreachable");
        store.ReserveFailure = failure;

        await first.SettleAsync(0, Ct);

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => waiting));
        Assert.Equal(0, limiter.GetQueueLength(s_key));
    }

    [Fact]
    public async Task Acquire_AsynchronousStore_QueuesAndAdmitsTheSameWay()
    {
        var store = new DelegatingQuotaStore(_store) { Asynchronous = true };
        using var limiter = new QuotaLimiter(store, _time, 100);
        QuotaLease first = await limiter.AcquireAsync(s_key, QuotaRequest.Exact(6_000, s_tpm), GroqPriority.Interactive, In(60), cancellationToken: Ct);
        var status = new StatusRecorder();
        Task<QuotaLease> waiting = limiter.AcquireAsync(s_key, QuotaRequest.Exact(1_000, s_tpm), GroqPriority.Interactive, In(60), status, cancellationToken: Ct).AsTask();
        await status.First.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(await first.SettleAsync(0, Ct));

        QuotaLease lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(await lease.SettleAsync(1_000, Ct));
        Assert.False(await lease.SettleAsync(1_000, Ct));
    }

    [Fact]
    public async Task Lease_SettledTwice_SecondIsRefused()
    {
        QuotaLease lease = await Acquire(1_000);

        Assert.True(await lease.SettleAsync(10, Ct));
        Assert.False(await lease.SettleAsync(10, Ct));
        Assert.False(await lease.ReleaseAsync(Ct));
    }

    [Fact]
    public async Task Default_Lease_DoesNothing()
    {
        QuotaLease lease = default;

        Assert.False(await lease.SettleAsync(10, Ct));
        Assert.False(await lease.ReleaseAsync(Ct));
    }

    private Task<QuotaLease> Acquire(
        long tokens,
        ModelLimits? limits = null,
        GroqPriority priority = GroqPriority.Interactive,
        DateTimeOffset? deadline = null,
        IProgress<GroqRequestStatus>? status = null,
        CancellationTokenSource? cancellation = null)
        => _limiter.AcquireAsync(s_key, QuotaRequest.Exact(tokens, limits ?? s_tpm), priority, deadline ?? In(600), status, cancellationToken: cancellation?.Token ?? Ct).AsTask();
}
