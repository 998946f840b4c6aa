using System.Globalization;
using System.Text.Json;
using SkGroq.Emulator.RateLimits;
using SkGroq.Emulator.Wire;
using SkGroq.Errors;

namespace SkGroq.Emulator.Hosting;

/// <summary>Writes Groq-shaped HTTP answers: common headers, <c>x-ratelimit-*</c>, JSON error bodies.</summary>
internal static class Responses
{
    public const string JsonCacheControl = "private, max-age=0, no-store, no-cache, must-revalidate";

    public static void SetCommonHeaders(HttpResponse response, string requestId, string region)
    {
        IHeaderDictionary headers = response.Headers;
        headers.Vary = "Origin";
        headers["x-groq-region"] = region;
        headers["x-request-id"] = requestId;
    }

    /// <summary>The six headers (requests = RPD, tokens = TPM); <paramref name="requestsOnly"/> leaves the token set out (RPM/RPD 429s).</summary>
    public static void SetRateLimitHeaders(HttpResponse response, in RateLimitHeaderValues values, bool requestsOnly = false)
    {
        IHeaderDictionary headers = response.Headers;
        if (values.HasRequests)
        {
            headers[GroqRateLimitHeaders.LimitRequestsHeader] = Number(values.LimitRequests);
            headers[GroqRateLimitHeaders.RemainingRequestsHeader] = Number(values.RemainingRequests);
            headers[GroqRateLimitHeaders.ResetRequestsHeader] = GoDuration.FormatNanoseconds(values.ResetRequestsNanoseconds);
        }

        if (values.HasTokens && !requestsOnly)
        {
            headers[GroqRateLimitHeaders.LimitTokensHeader] = Number(values.LimitTokens);
            headers[GroqRateLimitHeaders.RemainingTokensHeader] = Number(values.RemainingTokens);
            headers[GroqRateLimitHeaders.ResetTokensHeader] = GoDuration.FormatNanoseconds(values.ResetTokensNanoseconds);
        }
    }

    public static Task WriteErrorAsync(HttpResponse response, ApiError error, CancellationToken cancellationToken)
    {
        var body = new PooledBufferWriter(512);
        Utf8JsonWriter writer = JsonWriting.Rent(body);
        CompletionJson.WriteError(writer, error, withStatusCode: false);
        JsonWriting.Return(writer);

        // Groq's error bodies end with a newline (Go's json.Encoder): the recorded 401 is 95 characters with content-length 96.
        body.GetSpan(1)[0] = (byte)'\n';
        body.Advance(1);
        response.StatusCode = error.Status;
        return WriteJsonAsync(response, body, cancellationToken);
    }

    /// <summary>Sends a JSON body written whole (with <c>content-length</c>) and returns its buffer to the pool.</summary>
    public static async Task WriteJsonAsync(HttpResponse response, PooledBufferWriter body, CancellationToken cancellationToken)
    {
        try
        {
            response.ContentType = "application/json";
            response.Headers.CacheControl = JsonCacheControl;
            response.ContentLength = body.WrittenCount;
            await response.Body.WriteAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            body.Dispose();
        }
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
