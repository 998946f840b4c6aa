using System.Globalization;
using CsCheck;
using SkGroq.Errors;

namespace SkGroq.Tests.Errors;

/// <summary>Go durations and Groq's rate-limit headers: any value round-trips, any junk is refused without throwing.</summary>
public sealed class GoDurationPropertyTests
{
    private static readonly Gen<string> s_junk = Gen.OneOf(
        Gen.String,
        Gen.String[Gen.Char["0123456789.hmsunµμ-+ e"], 0, 24],
        Gen.OneOf(Gen.Const("1.5.5s"), Gen.Const("9223372036854775808ns"), Gen.Const("99999999999h"), Gen.Const("60476035270016056h"), Gen.Const("60476035270016056.5h"), Gen.Const("-"), Gen.Const(".s"), Gen.Const("1e3s"), Gen.Const("NaN"), Gen.Const("١s")));

    [Fact]
    public void FormatNanoseconds_AnyNonNegativeDuration_ParsesBackExactly()
    {
        Gen.OneOf(Gen.Long[0, long.MaxValue], Gen.Long[0, 10_000_000_000], Gen.Long[0, 2_000_000]).Sample(ns =>
        {
            string text = GoDuration.FormatNanoseconds(ns);
            Assert.True(GoDuration.TryParseNanoseconds(text, out long parsed), text);
            Assert.Equal(ns, parsed);
        });
    }

    [Fact]
    public void TryParseNanoseconds_AnyText_EqualsTheDecimalParse()
    {
        // One amount and one unit (what Groq's headers carry) is parsed in integers; it must agree with the general parse in
        // decimals on every text: the shapes it takes, the ones it leaves (signs, several amounts, long or odd numbers), junk.
        Gen<string> digits = Gen.String[Gen.Char['0', '9'], 0, 21];
        Gen<string> unit = Gen.OneOf(Gen.Const("ns"), Gen.Const("us"), Gen.Const("µs"), Gen.Const("μs"), Gen.Const("ms"), Gen.Const("s"), Gen.Const("m"), Gen.Const("h"), Gen.Const("x"), Gen.Const(""));
        Gen<string> amount = Gen.Select(digits, Gen.Bool, digits, unit, (whole, point, fraction, u) => whole + (point ? "." : string.Empty) + fraction + u);
        Gen<string> text = Gen.OneOf(amount, Gen.Select(amount, amount, (a, b) => a + b), Gen.Select(Gen.OneOf(Gen.Const("-"), Gen.Const("+"), Gen.Const(" ")), amount, (p, a) => p + a), s_junk);
        Gen.OneOf(text, Gen.Long[0, long.MaxValue].Select(GoDuration.FormatNanoseconds)).Sample(t =>
        {
            bool parsed = GoDuration.TryParseNanoseconds(t, out long ns);
            bool expected = GoDuration.TryParseAmounts(t.AsSpan().Trim(), out long expectedNs);
            Assert.Equal(expected, parsed);
            Assert.Equal(expectedNs, ns);
        }, iter: 200_000);
        foreach (string edge in (string[])["9223372036854775807ns", "9223372036854775808ns", "9223372036854.775807s", "9223372036854.7758075s", "922337203685477580.7ns", "2562047h47m16.854775807s", "5.s", ".5s", ".s", "1.5.5s", "0", "0.000000001s", "0.0000000009s"])
        {
            Assert.Equal(GoDuration.TryParseAmounts(edge, out long expectedNs), GoDuration.TryParseNanoseconds(edge, out long ns));
            Assert.Equal(expectedNs, ns);
        }
    }

    [Fact]
    public void TryParse_AnyText_NeverThrows_AndAcceptsOnlyWhatItCanRepresent()
    {
        s_junk.Sample(text =>
        {
            if (GoDuration.TryParseNanoseconds(text, out long ns))
            {
                // Whatever is accepted means something: formatting it again gives a duration that parses to the same value.
                Assert.True(GoDuration.TryParseNanoseconds(GoDuration.FormatNanoseconds(ns), out long again));
                Assert.Equal(ns, again);
            }

            _ = GoDuration.TryParse(text, out _);
        });
    }

    [Fact]
    public void Parse_AnyHeaderValues_NeverThrows_AndKeepsOnlyWellFormedOnes()
    {
        Gen.OneOf(s_junk, Gen.Long[0, long.MaxValue].Select(v => v.ToString(CultureInfo.InvariantCulture))).Array[6].Sample(values =>
        {
            using var response = new HttpResponseMessage();
            string[] names = [GroqRateLimitHeaders.LimitRequestsHeader, GroqRateLimitHeaders.RemainingRequestsHeader, GroqRateLimitHeaders.ResetRequestsHeader, GroqRateLimitHeaders.LimitTokensHeader, GroqRateLimitHeaders.RemainingTokensHeader, GroqRateLimitHeaders.ResetTokensHeader];
            for (int i = 0; i < names.Length; i++)
            {
                response.Headers.TryAddWithoutValidation(names[i], values[i]);
            }

            GroqRateLimitHeaders? parsed = GroqRateLimitHeaders.Parse(response.Headers);
            if (parsed is not null)
            {
                Assert.True(parsed.LimitRequests is null or >= 0);
                Assert.True(parsed.RemainingTokens is null or >= 0);
                Assert.True(parsed.ResetTokens is null || parsed.ResetTokens >= TimeSpan.Zero || values[5].TrimStart().StartsWith('-'));
            }
        });
    }

    [Fact]
    public void Parse_AnyHeaderSet_ReadsWhatLookingUpEachHeaderByName_Reads()
    {
        // The parser reads the headers in one pass; the oracle looks each of the six up by name, as HttpHeaders does
        // (case-insensitive, the first value). Other headers, any casing, repeats, junk and missing headers included.
        string[] names = [GroqRateLimitHeaders.LimitRequestsHeader, GroqRateLimitHeaders.RemainingRequestsHeader, GroqRateLimitHeaders.ResetRequestsHeader, GroqRateLimitHeaders.LimitTokensHeader, GroqRateLimitHeaders.RemainingTokensHeader, GroqRateLimitHeaders.ResetTokensHeader];
        Gen<string> name = Gen.OneOf(
            Gen.Int[0, names.Length - 1].Select(i => names[i]),
            Gen.Int[0, names.Length - 1].Select(Gen.Bool.Array[30], (i, upper) => new string([.. names[i].Select((c, k) => upper[k] ? char.ToUpperInvariant(c) : c)])),
            Gen.OneOf(Gen.Const("x-ratelimit-"), Gen.Const("x-ratelimit-limit"), Gen.Const("x-ratelimit-limit-requestsx"), Gen.Const("x-request-id"), Gen.Const("retry-after"), Gen.Const("Date")));
        Gen<string> value = Gen.OneOf(s_junk, Gen.Long[0, long.MaxValue].Select(v => v.ToString(CultureInfo.InvariantCulture)), Gen.Long[0, 100_000_000_000].Select(GoDuration.FormatNanoseconds));
        Gen.Select(name, value).Array[0, 16].Sample(headers =>
        {
            using var response = new HttpResponseMessage();
            foreach ((string n, string v) in headers)
            {
                response.Headers.TryAddWithoutValidation(n, v);
            }

            long? Integer(string header) => long.TryParse(HeaderValues.First(response.Headers, header)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
            TimeSpan? Duration(string header) => HeaderValues.First(response.Headers, header) is { } text && GoDuration.TryParse(text, out TimeSpan v) ? v : null;
            var expected = new GroqRateLimitHeaders(Integer(names[0]), Integer(names[1]), Duration(names[2]), Integer(names[3]), Integer(names[4]), Duration(names[5]));

            GroqRateLimitHeaders? parsed = GroqRateLimitHeaders.Parse(response.Headers);

            Assert.Equal(expected == new GroqRateLimitHeaders(null, null, null, null, null, null) ? null : expected, parsed);
        });
    }

    [Fact]
    public void Parse_WhatGroqSends_RoundTrips()
    {
        Gen.Select(Gen.Long[1, 100_000_000], Gen.Long[0, 100_000_000], Gen.Long[1, 1_000_000_000], Gen.Long[0, 1_000_000_000]).Sample((rpd, rpdLeft, tpm, tpmLeft) =>
        {
            rpdLeft = Math.Min(rpdLeft, rpd);
            tpmLeft = Math.Min(tpmLeft, tpm);

            // Groq's formula: reset = (limit − remaining) / limit × window, divided first, truncated to ns; a full bucket shows 1ms.
            long ResetNs(long limit, long left, double window) => left == limit ? 1_000_000 : GoDuration.NanosecondsFromSeconds((limit - left) / (double)limit * window);
            using var response = new HttpResponseMessage();
            response.Headers.Add(GroqRateLimitHeaders.LimitRequestsHeader, rpd.ToString(CultureInfo.InvariantCulture));
            response.Headers.Add(GroqRateLimitHeaders.RemainingRequestsHeader, rpdLeft.ToString(CultureInfo.InvariantCulture));
            response.Headers.Add(GroqRateLimitHeaders.ResetRequestsHeader, GoDuration.FormatNanoseconds(ResetNs(rpd, rpdLeft, 86_400)));
            response.Headers.Add(GroqRateLimitHeaders.LimitTokensHeader, tpm.ToString(CultureInfo.InvariantCulture));
            response.Headers.Add(GroqRateLimitHeaders.RemainingTokensHeader, tpmLeft.ToString(CultureInfo.InvariantCulture));
            response.Headers.TryAddWithoutValidation(GroqRateLimitHeaders.ResetTokensHeader, GoDuration.FormatNanoseconds(ResetNs(tpm, tpmLeft, 60)));

            GroqRateLimitHeaders parsed = GroqRateLimitHeaders.Parse(response.Headers)!;

            Assert.Equal((rpd, rpdLeft, tpm, tpmLeft), (parsed.LimitRequests, parsed.RemainingRequests, parsed.LimitTokens, parsed.RemainingTokens));
            Assert.Equal(TimeSpan.FromTicks(ResetNs(rpd, rpdLeft, 86_400) / 100), parsed.ResetRequests);
            Assert.Equal(TimeSpan.FromTicks(ResetNs(tpm, tpmLeft, 60) / 100), parsed.ResetTokens);
        });
    }
}
