using System.Text;
using System.Text.Json;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.RateLimits;
using SkGroq.Emulator.Wire;
using SkGroq.Errors;
using SkGroq.Models;

namespace SkGroq.Emulator.Hosting;

/// <summary>Rate-limit refusals and faults injected before any header is sent.</summary>
internal sealed partial class ChatCompletionsEndpoint
{
    /// <summary>The OTPM limit of the recorded "Request too large … (OTPM)" 429.</summary>
    private const long RecordedOutputTokensPerMinute = 1000;

    private static readonly byte[] s_cloudflare403 = Encoding.ASCII.GetBytes("error code: 1010");

    private static readonly byte[] s_cloudflare502 = Encoding.ASCII.GetBytes(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n");

    /// <summary>429 or 413 exactly as Groq words them, with <c>retry-after</c> on 429 (as recorded).</summary>
    private async Task RateLimitedAsync(Call call, string model, Admission admission, UsageCounters counters)
    {
        HttpResponse response = call.Context.Response;
        bool upsell = state.Behavior.RateLimitUpsell && call.Organization.Tier == GroqTier.Free;
        ApiError error;
        if (admission.Status == 413)
        {
            counters.TooLarge();
            error = new ApiError(413, RateLimitMessages.RequestTooLarge(model, call.Organization.Id, admission.Limit, admission.LimitValue, admission.Requested, upsell), RateLimitMessages.ErrorType(admission.Limit), "rate_limit_exceeded");
            Responses.SetRateLimitHeaders(response, admission.Headers);
        }
        else
        {
            counters.RateLimit();
            error = new ApiError(429, RateLimitMessages.RateLimitReached(model, call.Organization.Id, admission.Limit, admission.LimitValue, admission.Used, admission.Requested, admission.WaitNanoseconds, upsell), RateLimitMessages.ErrorType(admission.Limit), "rate_limit_exceeded");
            response.Headers.RetryAfter = Responses.Number(RateLimitMath.RetryAfterSeconds(admission.WaitNanoseconds));

            // Recorded: an RPM 429 carries no token headers.
            Responses.SetRateLimitHeaders(response, admission.Headers, requestsOnly: admission.Limit is GroqLimitKind.RequestsPerMinute or GroqLimitKind.RequestsPerDay);
        }

        Log.Refused(state.Logger, call.RequestId, model, error.Status, error.Code);
        await Responses.WriteErrorAsync(response, error, call.Context.RequestAborted).ConfigureAwait(false);
    }

    private async Task InjectBeforeHeadersAsync(Call call, EmulatorFault fault, string? modelId, ModelInfo? model, UsageCounters? counters, JsonDocument document)
    {
        HttpContext context = call.Context;
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        counters?.Fault();
        state.Accounting.FaultSent(fault.Kind);
        Log.FaultInjected(state.Logger, call.RequestId, modelId, fault);
        string name = modelId ?? "the model";
        switch (fault.Kind)
        {
            case EmulatorFaultKind.ConnectionReset:
                context.Abort();
                return;
            case EmulatorFaultKind.HtmlErrorPage:
                // A CDN page: no Groq headers, no JSON.
                response.Headers.Remove("x-request-id");
                response.Headers.Remove("x-groq-region");
                response.StatusCode = 502;
                response.ContentType = "text/html";
                response.ContentLength = s_cloudflare502.Length;
                await response.Body.WriteAsync(s_cloudflare502, aborted).ConfigureAwait(false);
                return;
            case EmulatorFaultKind.PermissionDenied:
                // Recorded: the front door's plain-text block page, no Groq headers.
                response.Headers.Remove("x-request-id");
                response.Headers.Remove("x-groq-region");
                response.StatusCode = 403;
                response.ContentType = "text/plain; charset=UTF-8";
                response.ContentLength = s_cloudflare403.Length;
                await response.Body.WriteAsync(s_cloudflare403, aborted).ConfigureAwait(false);
                return;
            case EmulatorFaultKind.RateLimitNoRetry:
                // Recorded 2026-09-05: a full bucket in the headers, x-should-retry: false, no retry-after.
                if (model is not null)
                {
                    Responses.SetRateLimitHeaders(response, state.Limiter.For(call.Organization, model).Peek(state.Limiter.Now));
                }

                response.Headers["x-should-retry"] = "false";
                long requested = MaxTokensOf(document) ?? (model?.MaxCompletionTokens is > 0 and var m ? m : 2 * RecordedOutputTokensPerMinute);
                bool upsell = state.Behavior.RateLimitUpsell && call.Organization.Tier == GroqTier.Free;
                await Responses.WriteErrorAsync(
                    response,
                    new ApiError(429, RateLimitMessages.OutputTooLarge(name, call.Organization.Id, RecordedOutputTokensPerMinute, Math.Max(requested, RecordedOutputTokensPerMinute + 1), upsell), "tokens", "rate_limit_exceeded"),
                    aborted).ConfigureAwait(false);
                return;
            case EmulatorFaultKind.RateLimitTokensPerMinute:
                // Recorded: the body names what the server counted (Requested 400) and a wait of one second, while the headers'
                // 41 remaining tokens and 59.59s reset would suggest ten seconds for a bucket refilling 100 tokens a second.
                response.Headers.RetryAfter = "1";
                Responses.SetRateLimitHeaders(response, new RateLimitHeaderValues(14_400, 14_399, 6_000_000_000, 6_000, 41, 59_590_000_000));
                await Responses.WriteErrorAsync(
                    response,
                    new ApiError(429, RateLimitMessages.RateLimitReached(name, call.Organization.Id, GroqLimitKind.TokensPerMinute, 6_000, 5_959, 400, 1_000_000_000, upsell: false), "tokens", "rate_limit_exceeded"),
                    aborted).ConfigureAwait(false);
                return;
            default:
                ApiError error = fault.Kind switch
                {
                    EmulatorFaultKind.BadGateway => ApiError.BadGateway(),
                    EmulatorFaultKind.ServiceUnavailable => ApiError.OverCapacity(name),
                    EmulatorFaultKind.CapacityExceeded => ApiError.FlexCapacityExceeded(name),
                    EmulatorFaultKind.UnprocessableEntity => ApiError.UnprocessableEntity(),
                    _ => ApiError.InternalServerError(),
                };
                await Responses.WriteErrorAsync(response, error, aborted).ConfigureAwait(false);
                return;
        }
    }

    private static long? MaxTokensOf(JsonDocument document)
    {
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return (root.TryGetProperty("max_completion_tokens"u8, out JsonElement a) && a.TryGetInt64(out long x)) ? x
            : (root.TryGetProperty("max_tokens"u8, out JsonElement b) && b.TryGetInt64(out long y)) ? y
            : null;
    }

    /// <summary>The error a mid-stream error frame carries; <c>status_code</c> selects it (400 is the recorded <c>tool_use_failed</c>).</summary>
    private static ApiError StreamError(EmulatorFault fault, string model, string organization) => fault.StatusCode switch
    {
        400 => ApiError.ToolChoiceRequired(),
        429 => new ApiError(429, RateLimitMessages.RateLimitReached(model, organization, GroqLimitKind.TokensPerMinute, 6000, 6000, 400, 4_000_000_000, upsell: false), "tokens", "rate_limit_exceeded"),
        498 => ApiError.FlexCapacityExceeded(model),
        502 => ApiError.BadGateway(),
        503 => ApiError.OverCapacity(model) with { Code = "service_unavailable" },
        { } other and not 500 => new ApiError(other, "An error occurred during streaming", "internal_server_error", "internal_server_error"),
        _ => ApiError.InternalServerError() with { Code = "internal_server_error" },
    };
}
