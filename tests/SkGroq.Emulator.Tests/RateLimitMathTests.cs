using SkGroq.Emulator.RateLimits;
using SkGroq.Errors;

namespace SkGroq.Tests.Emulator;

/// <summary>Groq's reset and wait formulas reproduce every live header and message (docs/GROQ-API.md §5.2, §5.4).</summary>
public sealed class RateLimitMathTests
{
    [Theory]
    [InlineData(8000, 3164, 60, "36.27s")]
    [InlineData(1000, 999, 86400, "1m26.4s")]
    [InlineData(500000, 499999, 86400, "172.799999ms")]
    [InlineData(6000, 5719, 60, "2.81s")]
    [InlineData(300000, 299565, 60, "87ms")]
    [InlineData(6000, 4825, 60, "11.75s")]
    [InlineData(14400, 14399, 86400, "6s")]
    [InlineData(2000, 1999, 86400, "43.2s")]
    [InlineData(8000, 8000, 60, "1ms")]
    [InlineData(1000, 1000, 86400, "1ms")]
    public void ResetNanoseconds_MatchesLiveHeaders(long limit, long remaining, double window, string expected)
        => Assert.Equal(expected, RateLimitMath.Format(RateLimitMath.ResetNanoseconds(limit, remaining, window)));

    [Theory]
    [InlineData(6000, 4093, 3531, 60, "16.239999999s", 17)]
    [InlineData(30, 30, 1, 60, "2s", 2)]
    [InlineData(1000, 997, 192, 60, "11.34s", 12)]
    [InlineData(1, 1, 1, 86400, "24h0m0s", 86400)]
    public void WaitNanoseconds_MatchesTryAgainInAndRetryAfter(long limit, long used, long requested, double window, string expected, long retryAfter)
    {
        long wait = RateLimitMath.WaitNanoseconds(limit, used, requested, window);

        Assert.Equal(expected, RateLimitMath.Format(wait));
        Assert.Equal(retryAfter, RateLimitMath.RetryAfterSeconds(wait));
    }

    [Fact]
    public void RateLimitReached_MatchesRecordedTpmMessage()
    {
        string message = RateLimitMessages.RateLimitReached("llama-3.1-8b-instant", "org_01jy16rk1yffks8jdsmfn4s7rj", GroqLimitKind.TokensPerMinute, 6000, 4093, 3531, RateLimitMath.WaitNanoseconds(6000, 4093, 3531, 60), upsell: true);

        Assert.Equal(
            "Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01jy16rk1yffks8jdsmfn4s7rj` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 4093, Requested 3531. Please try again in 16.239999999s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing",
            message);
    }

    [Fact]
    public void RateLimitReached_MatchesRecordedRpmMessage()
    {
        string message = RateLimitMessages.RateLimitReached("llama-3.1-8b-instant", "org_01k9v83k2bf1zr2nc2pzp9y3ad", GroqLimitKind.RequestsPerMinute, 30, 30, 1, RateLimitMath.WaitNanoseconds(30, 30, 1, 60), upsell: true);

        Assert.Equal(
            "Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01k9v83k2bf1zr2nc2pzp9y3ad` service tier `on_demand` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 2s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing",
            message);
    }

    [Fact]
    public void RequestTooLarge_MatchesRecorded413Message()
    {
        string message = RateLimitMessages.RequestTooLarge("llama-3.1-8b-instant", "org_01jy16rk1yffks8jdsmfn4s7rj", GroqLimitKind.TokensPerMinute, 6000, 15041, upsell: true);

        Assert.Equal(
            "Request too large for model `llama-3.1-8b-instant` in organization `org_01jy16rk1yffks8jdsmfn4s7rj` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Requested 15041, please reduce your message size and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing",
            message);
    }

    [Fact]
    public void OutputTooLarge_MatchesRecordedOtpmMessage()
    {
        string message = RateLimitMessages.OutputTooLarge("qwen/qwen3.6-27b", "org_01ktt6pk7wedtsby9ysqq32py1", 1000, 2512, upsell: true);

        Assert.Equal(
            "Request too large for model qwen/qwen3.6-27b in organization org_01ktt6pk7wedtsby9ysqq32py1 service tier on_demand on output tokens per minute (OTPM): Limit 1000, Requested 2512. The request's expected output tokens exceed the enforced limit; reduce max_tokens (or the request's expected output) and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing",
            message);
    }
}
