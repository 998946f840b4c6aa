using SkGroq.Emulator.RateLimits;
using SkGroq.Errors;
using SkGroq.Models;

namespace SkGroq.Tests.Emulator;

/// <summary>The buckets of one (organization, model), on timestamps handed in (1 tick = 1 second here).</summary>
public sealed class ModelQuotaTests
{
    private const long Second = 1;

    [Fact]
    public void TryAdmit_TakesOneRequestAndTheReservation()
    {
        var quota = new ModelQuota(new ModelLimits(30, 1000, 8000, 200000), 0, Second);

        Admission admission = quota.TryAdmit(4836, 0, enforce: true);

        Assert.True(admission.Admitted);
        Assert.Equal(new RateLimitHeaderValues(1000, 999, 86_400_000_000_000 / 1000, 8000, 3164, 36_270_000_000), admission.Headers);
    }

    [Fact]
    public void TryAdmit_MoreThanTheWholeTpm_Is413()
    {
        var quota = new ModelQuota(new ModelLimits(30, 1000, 6000, 500000), 0, Second);

        Admission admission = quota.TryAdmit(15041, 0, enforce: true);

        Assert.Equal(413, admission.Status);
        Assert.Equal(GroqLimitKind.TokensPerMinute, admission.Limit);
        Assert.Equal(15041, admission.Requested);
        Assert.Equal(6000, admission.Headers.RemainingTokens);
    }

    [Fact]
    public void TryAdmit_TpmSpent_Is429WithUsedAndWait()
    {
        var quota = new ModelQuota(new ModelLimits(30, 14400, 6000, 500000), 0, Second);
        Assert.True(quota.TryAdmit(4093, 0, enforce: true).Admitted);

        Admission refused = quota.TryAdmit(3531, 0, enforce: true);

        Assert.Equal(429, refused.Status);
        Assert.Equal((GroqLimitKind.TokensPerMinute, 6000L, 4093L, 3531L), (refused.Limit, refused.LimitValue, refused.Used, refused.Requested));
        Assert.Equal(16_239_999_999, refused.WaitNanoseconds);
    }

    [Fact]
    public void TryAdmit_ChecksRequestsBeforeTokens()
    {
        var quota = new ModelQuota(new ModelLimits(1, 1000, 100, null), 0, Second);
        Assert.True(quota.TryAdmit(100, 0, enforce: true).Admitted);

        Admission refused = quota.TryAdmit(100, 0, enforce: true);

        Assert.Equal(GroqLimitKind.RequestsPerMinute, refused.Limit);
        Assert.Equal(60_000_000_000, refused.WaitNanoseconds);
    }

    [Fact]
    public void TryAdmit_DailyLimits_Refuse()
    {
        var requests = new ModelQuota(new ModelLimits(null, 1, null, null), 0, Second);
        var tokens = new ModelQuota(new ModelLimits(null, null, null, 1000), 0, Second);
        requests.TryAdmit(1, 0, enforce: true);
        tokens.TryAdmit(900, 0, enforce: true);

        Assert.Equal(GroqLimitKind.RequestsPerDay, requests.TryAdmit(1, 0, enforce: true).Limit);
        Admission tpd = tokens.TryAdmit(200, 0, enforce: true);
        Assert.Equal(GroqLimitKind.TokensPerDay, tpd.Limit);
        Assert.Equal(8_640_000_000_000, tpd.WaitNanoseconds);
    }

    [Fact]
    public void Buckets_RefillContinuously()
    {
        var quota = new ModelQuota(new ModelLimits(30, null, 6000, null), 0, Second);
        quota.TryAdmit(6000, 0, enforce: true);

        Assert.Equal(0, quota.Peek(0).RemainingTokens);
        Assert.Equal(3000, quota.Peek(30).RemainingTokens);
        Assert.Equal(6000, quota.Peek(60).RemainingTokens);
        Assert.Equal(6000, quota.Peek(600).RemainingTokens);
        Assert.Equal(RateLimitMath.FullBucketResetNanoseconds, quota.Peek(600).ResetTokensNanoseconds);
    }

    [Fact]
    public void Settle_GivesBackUnusedAndTakesOveruse()
    {
        var quota = new ModelQuota(new ModelLimits(null, null, 1000, null), 0, Second);
        quota.TryAdmit(500, 0, enforce: true);

        quota.Settle(500, 120, 0);
        Assert.Equal(880, quota.Peek(0).RemainingTokens);

        quota.TryAdmit(100, 0, enforce: true);
        quota.Settle(100, 1000, 0);
        Assert.Equal(0, quota.Peek(0).RemainingTokens);
    }

    [Fact]
    public void TryAdmit_NotEnforced_NeverRefusesButCounts()
    {
        var quota = new ModelQuota(new ModelLimits(1, null, 10, null), 0, Second);

        Assert.True(quota.TryAdmit(100, 0, enforce: false).Admitted);
        Admission second = quota.TryAdmit(100, 0, enforce: false);

        Assert.True(second.Admitted);
        Assert.Equal(0, second.Headers.RemainingTokens);
    }

    [Fact]
    public void NoLimits_NoHeaders()
    {
        var quota = new ModelQuota(ModelLimits.None, 0, Second);

        Admission admission = quota.TryAdmit(1_000_000, 0, enforce: true);

        Assert.True(admission.Admitted);
        Assert.True(admission.Headers.IsEmpty);
    }
}
