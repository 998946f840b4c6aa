using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>
/// The behaviour every <see cref="IQuotaStore"/> must show, run against each backend (in-memory here; Redis derives from it too).
/// A derived class supplies the store and a way to move its clock forward.
/// </summary>
public abstract class QuotaStoreContractTests
{
    protected const string Model = "llama-3.1-8b-instant";

    private protected static readonly QuotaKey s_key = new("org_test", Model);

    /// <summary>Free-plan llama-3.1-8b-instant: 30 RPM, 14,400 RPD, 6,000 TPM, 500,000 TPD.</summary>
    private protected static readonly ModelLimits s_free = new(30, 14_400, 6_000, 500_000);

    /// <summary>The refill an admission keeps in hand (a millisecond) unless the bucket has room to spare; see <see cref="QuotaBucket"/>.</summary>
    private protected static readonly TimeSpan s_guard = TimeSpan.FromTicks(QuotaBucket.GuardTicks);

    private protected abstract IQuotaStore Store { get; }

    /// <summary>Moves the store's clock forward.</summary>
    /// <param name="by">How far.</param>
    protected abstract void Advance(TimeSpan by);

    [Fact]
    public async Task TryReserve_WithinEveryLimit_AdmitsAndCountsOneRequestAndTheTokens()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1_000, s_free), Ct);

        Assert.True(decision.IsAdmitted);
        Assert.Equal(1_000, decision.Reservation.Tokens);
        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(new QuotaLevel(30, 1), snapshot.RequestsPerMinute);
        Assert.Equal(new QuotaLevel(14_400, 1), snapshot.RequestsPerDay);
        Assert.Equal(new QuotaLevel(6_000, 1_000), snapshot.TokensPerMinute);
        Assert.Equal(new QuotaLevel(500_000, 1_000), snapshot.TokensPerDay);
        Assert.Equal(1, snapshot.InFlightRequests);
        Assert.Equal(1_000, snapshot.InFlightTokens);
    }

    [Fact]
    public async Task TryReserve_Overdraft_IsAdmittedPastSpentBuckets_AndCountedLikeAnyReservation()
    {
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(5_959, s_free), Ct)).IsAdmitted);
        Assert.Equal(QuotaDecisionKind.MustWait, (await Store.TryReserveAsync(s_key, QuotaRequest.Exact(400, s_free), Ct)).Kind);

        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(400, s_free) with { Overdraft = true }, Ct);

        Assert.True(decision.IsAdmitted);
        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(6_359, snapshot.TokensPerMinute.Used);
        Assert.Equal(2, snapshot.InFlightRequests);
    }

    [Fact]
    public async Task TryReserve_Overdraft_StillWaitsForAPauseTheServerReported()
    {
        await Store.PauseAsync(s_key, TimeSpan.FromSeconds(30), GroqLimitKind.TokensPerDay, Ct);

        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(400, s_free) with { Overdraft = true }, Ct);

        Assert.Equal(QuotaDecisionKind.MustWait, decision.Kind);
        Assert.Equal(GroqLimitKind.TokensPerDay, decision.Limit);
        Assert.InRange(decision.RetryAfter, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task TryReserve_RequestsPerMinuteSpent_WaitsTwoSecondsForOneRequestToRefill()
    {
        for (int i = 0; i < 30; i++)
        {
            Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct)).IsAdmitted);
        }

        QuotaDecision refused = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct);

        Assert.Equal(QuotaDecisionKind.MustWait, refused.Kind);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, refused.Limit);
        Assert.Equal(30, refused.LimitValue);
        Assert.Equal(TimeSpan.FromSeconds(2) + s_guard, refused.RetryAfter);

        Advance(refused.RetryAfter - TimeSpan.FromTicks(1));
        Assert.False((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct)).IsAdmitted);
        Advance(TimeSpan.FromTicks(1));
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct)).IsAdmitted);
    }

    [Fact]
    public async Task TryReserve_TokensPerMinuteShort_WaitsExactlyUntilTheTokensRefill()
    {
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct)).IsAdmitted);

        QuotaDecision refused = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(2_000, s_free), Ct);

        // 1,000 tokens missing at 6,000 per minute: 10 s.
        Assert.Equal(QuotaDecisionKind.MustWait, refused.Kind);
        Assert.Equal(GroqLimitKind.TokensPerMinute, refused.Limit);
        Assert.Equal(6_000, refused.LimitValue);
        Assert.Equal(2_000, refused.Requested);
        Assert.Equal(TimeSpan.FromSeconds(10) + s_guard, refused.RetryAfter);
        Advance(refused.RetryAfter);
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(2_000, s_free), Ct)).IsAdmitted);
    }

    [Fact]
    public async Task TryReserve_SeveralLimitsShort_BindingLimitIsTheOneWithTheLongestWait()
    {
        var limits = new ModelLimits(2, null, 6_000, null);
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(100, limits), Ct)).IsAdmitted);
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(5_800, limits), Ct)).IsAdmitted);

        // RPM 2 frees one request in 30 s; TPM holds 5,900 and needs room for 5,900 more: 5,800 tokens to refill, 58 s.
        QuotaDecision refused = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(5_900, limits), Ct);

        Assert.Equal(GroqLimitKind.TokensPerMinute, refused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(58) + s_guard, refused.RetryAfter);

        QuotaDecision small = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(10, limits), Ct);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, small.Limit);
        Assert.Equal(TimeSpan.FromSeconds(30) + s_guard, small.RetryAfter);
    }

    [Fact]
    public async Task TryReserve_DailyLimitSpent_NamesTheDailyLimitAndWhenItFrees()
    {
        var limits = new ModelLimits(null, 1_000, null, null);
        for (int i = 0; i < 1_000; i++)
        {
            await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, limits), Ct);
        }

        QuotaDecision refused = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, limits), Ct);

        Assert.Equal(GroqLimitKind.RequestsPerDay, refused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(86.4) + s_guard, refused.RetryAfter);
    }

    [Fact]
    public async Task TryReserve_LargerThanTokensPerMinute_NeverFits()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(6_001, s_free), Ct);

        Assert.Equal(QuotaDecisionKind.NeverFits, decision.Kind);
        Assert.Equal(GroqLimitKind.TokensPerMinute, decision.Limit);
        Assert.Equal(6_000, decision.LimitValue);
        Assert.Equal(6_001, decision.Requested);
        Assert.Equal(0, (await Store.GetSnapshotAsync(s_key, Ct)).InFlightRequests);
    }

    [Fact]
    public async Task TryReserve_ExactlyTheLimit_FitsAnEmptyBucket()
        => Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(6_000, s_free), Ct)).IsAdmitted);

    [Fact]
    public async Task TryReserve_GuessedCompletionAboveTheLimit_IsLoweredToTheLimit()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, new QuotaRequest(Tokens: 9_000, MinimumTokens: 1_500, s_free), Ct);

        Assert.True(decision.IsAdmitted);
        Assert.Equal(6_000, decision.Reservation.Tokens);
    }

    [Fact]
    public async Task TryReserve_RequiredPartAboveTheLimit_NeverFits()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, new QuotaRequest(Tokens: 9_000, MinimumTokens: 6_500, s_free), Ct);

        Assert.Equal(QuotaDecisionKind.NeverFits, decision.Kind);
        Assert.Equal(6_500, decision.Requested);
    }

    [Fact]
    public async Task TryReserve_NoLimitsKnown_AdmitsEverything()
    {
        for (int i = 0; i < 100; i++)
        {
            Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1_000_000, ModelLimits.None), Ct)).IsAdmitted);
        }
    }

    [Fact]
    public async Task TryReserve_ReservationIdsIncreaseInAdmissionOrder()
    {
        QuotaDecision first = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        QuotaDecision second = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);

        Assert.True(second.Reservation.Id > first.Reservation.Id);
    }

    [Fact]
    public async Task TryReserve_ManyAtOnce_AdmitsExactlyWhatTheLimitHolds()
    {
        Task<QuotaDecision>[] attempts = [.. Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await Store.TryReserveAsync(s_key, QuotaRequest.Exact(100, new ModelLimits(null, null, 6_000, null)), Ct), Ct))];

        QuotaDecision[] decisions = await Task.WhenAll(attempts);

        Assert.Equal(60, decisions.Count(d => d.IsAdmitted));
        Assert.Equal(6_000, (await Store.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task Peek_AnswersWithoutReserving()
    {
        QuotaDecision peeked = await Store.PeekAsync(s_key, QuotaRequest.Exact(1_000, s_free), Ct);

        Assert.True(peeked.IsAdmitted);
        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(0, snapshot.TokensPerMinute.Used);
        Assert.Equal(0, snapshot.InFlightRequests);
    }

    [Fact]
    public async Task Settle_LessThanReserved_RefundsTheDifference()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);

        Assert.True(await Store.SettleAsync(decision.Reservation, 1_200, Ct));

        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(1_200, snapshot.TokensPerMinute.Used);
        Assert.Equal(1_200, snapshot.TokensPerDay.Used);
        Assert.Equal(1, snapshot.RequestsPerMinute.Used);
        Assert.Equal(0, snapshot.InFlightRequests);
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(4_800, s_free), Ct)).IsAdmitted);
    }

    [Fact]
    public async Task Settle_MoreThanReserved_ChargesTheDifference()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1_000, s_free), Ct);

        Assert.True(await Store.SettleAsync(decision.Reservation, 1_500, Ct));

        Assert.Equal(1_500, (await Store.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task Settle_Twice_SecondIsRefusedAndChangesNothing()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);
        await Store.SettleAsync(decision.Reservation, 1_000, Ct);

        Assert.False(await Store.SettleAsync(decision.Reservation, 0, Ct));
        Assert.False(await Store.ReleaseAsync(decision.Reservation, Ct));

        Assert.Equal(1_000, (await Store.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task Release_GivesBackTheRequestAndEveryToken()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);

        Assert.True(await Store.ReleaseAsync(decision.Reservation, Ct));

        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(0, snapshot.TokensPerMinute.Used);
        Assert.Equal(0, snapshot.RequestsPerMinute.Used);
        Assert.Equal(0, snapshot.InFlightRequests);
        Assert.False(await Store.ReleaseAsync(decision.Reservation, Ct));
    }

    [Fact]
    public async Task Settle_AfterTheBucketRefilled_NeverHoldsMoreThanTheLimit()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(6_000, s_free), Ct);
        Advance(TimeSpan.FromMinutes(1));

        await Store.SettleAsync(decision.Reservation, 0, Ct);

        // The refund cannot push the bucket past full: the next minute admits 6,000 tokens, not 12,000.
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(6_000, s_free), Ct)).IsAdmitted);
        Assert.False((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct)).IsAdmitted);
    }

    [Fact]
    public async Task Keys_OfOtherModelsAndOrganizations_AreIndependent()
    {
        await Store.TryReserveAsync(s_key, QuotaRequest.Exact(6_000, s_free), Ct);

        Assert.True((await Store.TryReserveAsync(s_key with { Model = "openai/gpt-oss-20b" }, QuotaRequest.Exact(6_000, s_free), Ct)).IsAdmitted);
        Assert.True((await Store.TryReserveAsync(s_key with { Organization = "org_other" }, QuotaRequest.Exact(6_000, s_free), Ct)).IsAdmitted);
        Assert.False((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct)).IsAdmitted);
    }

    [Fact]
    public async Task Learn_Headers_TeachRequestsPerDayAndTokensPerMinuteOfAnUnknownModel()
    {
        QuotaDecision decision = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(400, ModelLimits.None), Ct);

        await Store.LearnAsync(s_key, new QuotaObservation(Headers(1_000, 999, 8_000, 3_164), decision.Reservation.Id), Ct);

        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(new QuotaLevel(1_000, 1), snapshot.RequestsPerDay);
        Assert.Equal(new QuotaLevel(8_000, 4_836), snapshot.TokensPerMinute);
        Assert.Null(snapshot.RequestsPerMinute.Limit);
        Assert.Null(snapshot.TokensPerDay.Limit);
    }

    [Fact]
    public async Task Learn_HeadersAheadOfUs_AddReservationsTheServerHasNotSeen()
    {
        QuotaDecision answered = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(100, s_free), Ct);
        await Store.TryReserveAsync(s_key, QuotaRequest.Exact(200, s_free), Ct);

        // Another client used 900 tokens: the server counts 1,000 when it answers the first request; the second is still on its way.
        await Store.LearnAsync(s_key, new QuotaObservation(Headers(14_400, 14_399, 6_000, 5_000), answered.Reservation.Id), Ct);

        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(1_200, snapshot.TokensPerMinute.Used);
        Assert.Equal(2, snapshot.RequestsPerDay.Used);
    }

    [Fact]
    public async Task Learn_HeadersExplainedByOurOwnRequests_ChangeNothing()
    {
        QuotaDecision answered = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(100, s_free), Ct);
        await Store.TryReserveAsync(s_key, QuotaRequest.Exact(200, s_free), Ct);

        // The server already saw both requests when it answered the first: 300 used, as we count. Nothing is added twice.
        await Store.LearnAsync(s_key, new QuotaObservation(Headers(14_400, 14_398, 6_000, 5_700), answered.Reservation.Id), Ct);

        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(300, snapshot.TokensPerMinute.Used);
        Assert.Equal(2, snapshot.RequestsPerDay.Used);
    }

    [Fact]
    public async Task Learn_HeadersBehindUs_NeverLowerOurCount()
    {
        QuotaDecision answered = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(3_000, s_free), Ct);

        await Store.LearnAsync(s_key, new QuotaObservation(Headers(14_400, 14_400, 6_000, 6_000), answered.Reservation.Id), Ct);

        Assert.Equal(3_000, (await Store.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task Learn_LimitFromServer_WinsOverTheConfiguredOne()
    {
        QuotaDecision answered = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(100, s_free), Ct);
        await Store.LearnAsync(s_key, new QuotaObservation(Headers(null, null, 250_000, 249_900), answered.Reservation.Id), Ct);

        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(100_000, s_free), Ct)).IsAdmitted);
        Assert.Equal(250_000, (await Store.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Limit);
    }

    [Fact]
    public async Task Learn_RaisedLimit_ReportsThatWaitersMayFit()
    {
        QuotaDecision answered = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(100, s_free), Ct);

        Assert.True(await Store.LearnAsync(s_key, new QuotaObservation(Headers(null, null, 12_000, 11_900), answered.Reservation.Id), Ct));
        Assert.False(await Store.LearnAsync(s_key, new QuotaObservation(Headers(null, null, 12_000, 11_900), answered.Reservation.Id), Ct));
    }

    [Fact]
    public async Task Learn_RateLimitBody_TeachesTokensPerDay()
    {
        QuotaDecision rejected = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1_743, ModelLimits.None), Ct);
        await Store.ReleaseAsync(rejected.Reservation, Ct);

        await Store.LearnAsync(s_key, new QuotaObservation(null, rejected.Reservation.Id, GroqLimitKind.TokensPerDay, 100_000, 99_290), Ct);

        QuotaSnapshot snapshot = await Store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(new QuotaLevel(100_000, 99_290), snapshot.TokensPerDay);
        QuotaDecision again = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1_743, ModelLimits.None), Ct);
        Assert.Equal(GroqLimitKind.TokensPerDay, again.Limit);
    }

    [Fact]
    public async Task Learn_RateLimitBody_TeachesRequestsPerMinute()
    {
        QuotaDecision rejected = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(10, ModelLimits.None), Ct);
        await Store.ReleaseAsync(rejected.Reservation, Ct);

        await Store.LearnAsync(s_key, new QuotaObservation(null, rejected.Reservation.Id, GroqLimitKind.RequestsPerMinute, 30, 30), Ct);

        QuotaDecision again = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(10, ModelLimits.None), Ct);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, again.Limit);
        Assert.Equal(TimeSpan.FromSeconds(2) + s_guard, again.RetryAfter);
    }

    [Fact]
    public async Task Pause_HoldsEveryAdmissionForItsDuration_ThenLetsThemThrough()
    {
        await Store.PauseAsync(s_key, TimeSpan.FromSeconds(3.6), GroqLimitKind.TokensPerMinute, Ct);

        QuotaDecision paused = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        Assert.Equal(QuotaDecisionKind.MustWait, paused.Kind);
        Assert.Equal(GroqLimitKind.TokensPerMinute, paused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(3.6), paused.RetryAfter);

        Advance(TimeSpan.FromSeconds(3.6));
        Assert.True((await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct)).IsAdmitted);
    }

    [Fact]
    public async Task Pause_Shorter_DoesNotShortenALongerPause()
    {
        await Store.PauseAsync(s_key, TimeSpan.FromMinutes(14), GroqLimitKind.TokensPerDay, Ct);
        await Store.PauseAsync(s_key, TimeSpan.FromSeconds(2), GroqLimitKind.RequestsPerMinute, Ct);

        QuotaDecision paused = await Store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);

        Assert.Equal(GroqLimitKind.TokensPerDay, paused.Limit);
        Assert.Equal(TimeSpan.FromMinutes(14), paused.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(14), (await Store.GetSnapshotAsync(s_key, Ct)).PausedFor);
    }

    [Fact]
    public async Task Pause_OtherModels_AreNotPaused()
    {
        await Store.PauseAsync(s_key, TimeSpan.FromMinutes(1), GroqLimitKind.RequestsPerMinute, Ct);

        Assert.True((await Store.TryReserveAsync(s_key with { Model = "openai/gpt-oss-20b" }, QuotaRequest.Exact(1, s_free), Ct)).IsAdmitted);
    }

    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private protected static GroqRateLimitHeaders Headers(long? limitRequests, long? remainingRequests, long? limitTokens, long? remainingTokens)
        => new(limitRequests, remainingRequests, null, limitTokens, remainingTokens, null);
}
