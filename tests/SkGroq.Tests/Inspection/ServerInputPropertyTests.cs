using System.Net;
using System.Text;
using CsCheck;
using SkGroq.Errors;
using SkGroq.Inspection;

namespace SkGroq.Tests.Inspection;

/// <summary>
/// Whatever a server sends — any status, error body, retry hint or answer, with numbers at and past the edges of every
/// numeric type — the readers end in a value or a typed error, never an exception of their own.
/// </summary>
public sealed class ServerInputPropertyTests
{
    private static readonly DateTimeOffset s_now = new(2026, 9, 5, 12, 0, 0, TimeSpan.Zero);

    // Numbers as JSON or header text: ordinary, at the edges of int, long, decimal, double and TimeSpan, and past them.
    private static readonly Gen<string> s_number = Gen.OneOf(
        Gen.Long[-10, 100_000].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double[0, 1e6].Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf(
            Gen.Const("2147483648"), Gen.Const("9223372036854775807"), Gen.Const("9223372036854775808"), Gen.Const("-9223372036854775809"),
            Gen.Const("79228162514264337593543950336"), Gen.Const("922337203685"), Gen.Const("922337203686"), Gen.Const("1e20"),
            Gen.Const("1e300"), Gen.Const("1e400"), Gen.Const("-1e400"), Gen.Const("-0"), Gen.Const("0.0000000001")));

    private static readonly Gen<string> s_duration = Gen.OneOf(
        s_number.Select(Gen.OneOf(Gen.Const("s"), Gen.Const("ms"), Gen.Const("h"), Gen.Const("µs"), Gen.Const("m")), (n, u) => n + u),
        Gen.OneOf(Gen.Const("60476035270016056h"), Gen.Const("2562047h47m16.854775807s"), Gen.Const("1m26.4s"), Gen.Const("14m52s")));

    [Fact]
    public void FromResponse_AnyStatusBodyAndHints_IsATypedError()
    {
        Gen<string> message = Gen.Select(s_number, s_number, s_number, s_duration, (limit, used, requested, wait) =>
            $"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01` service tier `on_demand` on tokens per minute (TPM): Limit {limit}, Used {used}, Requested {requested}. Please try again in {wait}.");
        Gen<string> body = Gen.OneOf(
            message.Select(m => $$$"""{"error":{"message":"{{{m}}}","type":"tokens","code":"rate_limit_exceeded"}}"""),
            s_number.Select(n => $$$"""{"error":{"message":"x","type":"invalid_request_error","code":{{{n}}},"param":{{{n}}}}}"""),
            Gen.String[Gen.Char["{}[]\":,0123456789e.-abc"], 0, 40]);
        Gen<(string, string)[]> hints = Gen.Select(
            Gen.OneOf(Gen.Const("retry-after"), Gen.Const("retry-after-ms"), Gen.Const(GroqRateLimitHeaders.ResetTokensHeader), Gen.Const(GroqRateLimitHeaders.LimitTokensHeader), Gen.Const(GroqRateLimitHeaders.RemainingRequestsHeader)),
            Gen.OneOf(s_number, s_duration)).Array[0, 5];
        Gen.Select(Gen.Int[400, 599], body, hints).Sample((status, text, headers) =>
        {
            using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
            foreach ((string name, string value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            GroqException error = GroqErrorParser.FromResponse(response, Encoding.UTF8.GetBytes(text), "llama-3.1-8b-instant", s_now);

            Assert.False(string.IsNullOrEmpty(error.Message));
            Assert.True(error.RetryAfter is null || (error.RetryAfter >= TimeSpan.Zero && error.RetryAfter <= TimeSpan.FromDays(1)), error.RetryAfter.ToString());
        });
    }

    [Fact]
    public void ChatCompletionBody_AnyAnswerWithEdgeNumbers_IsReadOrRefused()
    {
        Gen<string> usage = Gen.Select(s_number, s_number, s_number, s_number, (prompt, completion, time, cached) =>
            $$$"""{"queue_time":{{{time}}},"prompt_tokens":{{{prompt}}},"prompt_time":{{{time}}},"completion_tokens":{{{completion}}},"completion_time":{{{time}}},"total_tokens":{{{prompt}}},"total_time":{{{time}}},"prompt_tokens_details":{"cached_tokens":{{{cached}}}}}""");
        Gen.Select(usage, s_number).Sample((u, created) =>
        {
            string body = $$$"""{"id":"chatcmpl-1","object":"chat.completion","created":{{{created}}},"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{{{u}}},"x_groq":{"id":"req_1","usage":{{{u}}}}}""";

            ChatCompletionSummary? summary = ChatCompletionBody.Read(Encoding.UTF8.GetBytes(body));

            Assert.NotNull(summary);
            Assert.True(summary.Usage is null || (summary.Usage.TotalTime ?? TimeSpan.Zero) <= TimeSpan.FromDays(1));
        });
    }
}
