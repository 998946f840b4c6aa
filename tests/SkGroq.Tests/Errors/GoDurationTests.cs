using SkGroq.Errors;

namespace SkGroq.Tests.Errors;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_000_000L, "1ms")]
    [InlineData(172_799_999L, "172.799999ms")]
    [InlineData(87_000_000L, "87ms")]
    [InlineData(7_660_000_000L, "7.66s")]
    [InlineData(36_270_000_000L, "36.27s")]
    [InlineData(86_400_000_000L, "1m26.4s")]
    [InlineData(179_560_000_000L, "2m59.56s")]
    [InlineData(16_239_999_999L, "16.239999999s")]
    [InlineData(892_000_000_000L, "14m52s")]
    [InlineData(60_000_000_000L, "1m0s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(12L, "12ns")]
    [InlineData(-1_500_000_000L, "-1.5s")]
    public void FormatNanoseconds_MatchesGoDurationString(long nanoseconds, string expected)
        => Assert.Equal(expected, GoDuration.FormatNanoseconds(nanoseconds));

    [Fact]
    public void NanosecondsFromSeconds_TruncatesLikeGo_SoResetsMatchGroqHeaders()
    {
        // 500000/499999 requests per day: (limit − remaining) / limit × window in float64 is 0.17279999999999998 s,
        // which Go truncates to 172799999 ns → Groq sends "172.799999ms". (Multiplying first gives exactly 0.1728.)
        double seconds = (500000 - 499999) / 500000.0 * 86400;
        Assert.Equal("172.799999ms", GoDuration.FormatNanoseconds(GoDuration.NanosecondsFromSeconds(seconds)));
    }

    [Theory]
    [InlineData("2m59.56s", 179_560_000_000L)]
    [InlineData("7.66s", 7_660_000_000L)]
    [InlineData("172.799999ms", 172_799_999L)]
    [InlineData("1ms", 1_000_000L)]
    [InlineData("1h2m3s", 3_723_000_000_000L)]
    [InlineData("56m26.88s", 3_386_880_000_000L)]
    [InlineData("1.5µs", 1_500L)]
    [InlineData("1.5us", 1_500L)]
    [InlineData("0", 0L)]
    [InlineData("-3s", -3_000_000_000L)]
    public void TryParseNanoseconds_ParsesGoDurations(string text, long expected)
    {
        Assert.True(GoDuration.TryParseNanoseconds(text, out long ns));
        Assert.Equal(expected, ns);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("12")]
    [InlineData("1.2.3s")]
    [InlineData("3 s")]
    [InlineData("5d")]
    [InlineData("abc")]
    public void TryParse_RejectsInvalidText(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Fact]
    public void Format_RoundTripsThroughParse()
    {
        foreach (long ns in new[] { 1L, 999L, 1_000_001L, 59_999_999_999L, 7_261_123_456_789L })
        {
            Assert.True(GoDuration.TryParseNanoseconds(GoDuration.FormatNanoseconds(ns), out long parsed));
            Assert.Equal(ns, parsed);
        }
    }
}
