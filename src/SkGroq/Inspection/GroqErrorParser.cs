using System.Text;
using SkGroq.Errors;
using SkGroq.Http;
namespace SkGroq.Inspection;

/// <summary>Turns what Groq sends on failure — status, headers, JSON, HTML, mid-stream frames — into a <see cref="GroqException"/> whose message says what to do.</summary>
/// <remarks>Maps Groq's status codes, validation errors, rate-limit bodies and mid-stream errors as recorded in real Groq traffic.</remarks>
internal static class GroqErrorParser
{
    private const int MaxQuotedBodyLength = 300;

    /// <summary>Maps a non-success response.</summary>
    /// <param name="response">The response (status and headers; the body is passed separately).</param>
    /// <param name="body">The response body, read whole (error bodies are small).</param>
    /// <param name="model">The model the request was for.</param>
    /// <param name="now">The current time, for <c>retry-after</c> dates and <see cref="GroqRateLimitException.FreesAt"/>.</param>
    /// <returns>The exception to throw.</returns>
    public static GroqException FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, string? model, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        int status = (int)response.StatusCode;
        var details = new GroqErrorDetails
        {
            StatusCode = status,
            Model = model,
            RequestId = HeaderValues.First(response.Headers, "x-request-id"),
            RetryAfter = GroqRetryAfter.Parse(response.Headers, now),
            ShouldRetry = GroqRetryAfter.ShouldRetry(response.Headers),
            RateLimits = GroqRateLimitHeaders.Parse(response.Headers),
        };
        string where = Describe(response.RequestMessage);

        if (!GroqErrorBody.TryParse(body, out GroqErrorBody? error) || error is null)
        {
            return NonApiBody(status, ContentHeaders.MediaType(response.Content), body, where, details);
        }

        details = details with { ErrorType = error.Type, ErrorCode = error.Code, Param = error.Param, ServerMessage = error.Message };
        return Map(status, error, details, where, now);
    }

    /// <summary>Maps an error that arrived inside a stream after HTTP 200.</summary>
    /// <param name="errorJson">The frame's JSON: <c>{"error":{…}}</c>.</param>
    /// <param name="partialText">The text streamed before the error.</param>
    /// <param name="model">The model.</param>
    /// <param name="requestId">The request id.</param>
    /// <returns>The exception to throw.</returns>
    public static GroqStreamInterruptedException FromStreamError(ReadOnlySpan<byte> errorJson, string partialText, string? model, string? requestId)
    {
        GroqErrorBody? error = GroqErrorBody.TryParse(errorJson, out GroqErrorBody? parsed) ? parsed : null;
        string message = error?.Message ?? "An error occurred during streaming";
        string code = error?.Code ?? error?.Type ?? "unknown";
        string received = partialText.Length == 0 ? "before any text arrived" : $"after {partialText.Length} characters of text";
        string advice = error?.Code == "tool_use_failed"
            ? "The model's tool call failed validation; rephrase the request or check the tool's schema."
            : error?.StatusCode is >= 500 or 429 || code is "over_capacity" or "service_unavailable" or "internal_server_error" or "rate_limit_exceeded"
                ? "This is usually temporary: ask again."
                : "Ask again; if it repeats, report the request id.";
        var details = new GroqErrorDetails
        {
            StatusCode = error?.StatusCode,
            ErrorType = error?.Type,
            ErrorCode = error?.Code,
            Param = error?.Param,
            ServerMessage = error?.Message,
            Model = model,
            RequestId = requestId,
        };
        return new GroqStreamInterruptedException($"Groq stopped the answer {received} ({code}): {message.TrimEnd('.', ' ')}. {advice}", details)
        {
            FailedGeneration = error?.FailedGeneration,
            PartialText = partialText,
        };
    }

    /// <summary>Maps <c>x_groq.error</c>, the string Groq may put in a chunk when it stops a stream early.</summary>
    /// <param name="error">The error string.</param>
    /// <param name="partialText">The text streamed before the error.</param>
    /// <param name="model">The model.</param>
    /// <param name="requestId">The request id.</param>
    /// <returns>The exception to throw.</returns>
    public static GroqStreamInterruptedException FromXGroqError(string error, string partialText, string? model, string? requestId)
        => new(
            $"Groq stopped the answer {(partialText.Length == 0 ? "before any text arrived" : $"after {partialText.Length} characters of text")}: {error.TrimEnd('.', ' ')}. This is usually temporary: ask again.",
            new GroqErrorDetails { ServerMessage = error, Model = model, RequestId = requestId })
        {
            PartialText = partialText,
        };

    internal static string FormatWait(TimeSpan wait)
        => wait < TimeSpan.FromMinutes(1) ? $"{wait.TotalSeconds:0.0} s" : GoDuration.Format(TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)));

    private static GroqException Map(int status, GroqErrorBody error, GroqErrorDetails details, string where, DateTimeOffset now)
    {
        string said = Sentence(error.Message ?? "(no message)");
        string code = error.Code ?? error.Type ?? "error";
        string modelName = details.Model is null ? "the model" : $"model '{details.Model}'";
        string ModelName() => Capitalize(modelName);
        string field = error.Param is null ? string.Empty : $", field '{error.Param}'";

        return status switch
        {
            401 => new GroqAuthenticationException($"Groq rejected the API key ({error.Code ?? "invalid_api_key"}). Check GROQ_API_KEY in .env or the environment.", details),
            403 => new GroqPermissionDeniedException($"Groq refused access ({code}): {said} Check that your organization may use {modelName} in the Groq console (https://console.groq.com).", details),
            404 when error.Code == "unknown_url" => new GroqNotFoundException($"Groq does not know the URL {where} (unknown_url). Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1.", details),
            404 => new GroqNotFoundException($"{ModelName()} does not exist or your organization has no access to it ({error.Code ?? "model_not_found"}). Set Groq:Model (GROQ_MODEL) to one of the models Groq lists for your key (GET /models).", details),
            400 when error.Code == "model_decommissioned" => new GroqModelDecommissionedException($"{ModelName()} has been retired (model_decommissioned). Set Groq:Model (GROQ_MODEL) to another model; https://console.groq.com/docs/deprecations names the replacements.", details),
            400 when error.Code == "context_length_exceeded" || (error.Param == "messages" && said.Contains("reduce the length", StringComparison.OrdinalIgnoreCase))
                => new GroqContextLengthExceededException($"The conversation plus the requested max tokens do not fit the context window of {modelName} (context_length_exceeded). Shorten the history or lower max tokens.", details),
            400 when error.Code == "tool_use_failed" => new GroqToolUseFailedException($"The model produced an invalid tool call (tool_use_failed): {said} Rephrase the request or check the tool's schema; FailedGeneration holds what the model wrote.", details) { FailedGeneration = error.FailedGeneration },
            400 when error.Code == "json_validate_failed" => new GroqBadRequestException($"The model's answer failed JSON validation (json_validate_failed): {said} Adjust the prompt or the response format's schema, or ask again.", details),
            400 when error.Code == "model_terms_required" => new GroqPermissionDeniedException($"{ModelName()} requires its terms to be accepted (model_terms_required): {said} An organization admin must accept them in the Groq console.", details),
            413 or 429 when status == 429 || error.Code == "rate_limit_exceeded" || error.Type is "tokens" or "requests" or "audio_seconds" => RateLimit(status, error, details, modelName, now),
            413 => new GroqRequestTooLargeException($"The request is too large for Groq ({code}): {said} Shorten the prompt or lower max tokens.", details),
            422 => new GroqBadRequestException($"Groq could not follow the request (422 {code}{field}): {said} Change the request (prompt, tools, response format); sending it unchanged will likely fail again.", details),
            424 => new GroqBadRequestException($"A service the request depends on failed (424 {code}): {said} Check the remote tool (MCP) server's address and credentials.", details),
            498 => new GroqOverCapacityException($"Flex-tier capacity for {modelName} is exhausted ({error.Code ?? "capacity_exceeded"}). Try again later, or use the on_demand service tier.", details),
            503 => new GroqOverCapacityException($"{ModelName()} is unavailable right now (503): {said} Try again shortly; https://groqstatus.com shows incidents.", details),
            501 => new GroqServerException($"The server at {where} does not implement this API (501 {code}): {said} Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1.", details),
            >= 500 => new GroqServerException($"Groq failed with {status} ({code}): {said} Try again shortly; https://groqstatus.com shows incidents.", details),
            408 => new GroqServerException("Groq timed out reading the request (408). Try again.", details),
            _ => new GroqBadRequestException($"Groq rejected the request ({status} {code}{field}): {said} Fix the request as the message says.", details),
        };
    }

    private static GroqException RateLimit(int status, GroqErrorBody error, GroqErrorDetails details, string modelName, DateTimeOffset now)
    {
        RateLimitMessage? info = RateLimitMessage.Parse(error.Message);
        GroqLimitKind limit = info?.Limit ?? (error.Type == "requests" ? GroqLimitKind.RequestsPerMinute : GroqLimitKind.Unknown);
        string limitText = limit.ToDisplayName();
        string limitValue = info?.LimitValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        string requested = info?.Requested?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        bool tooLarge = status == 413 || (error.Message?.StartsWith("Request too large", StringComparison.OrdinalIgnoreCase) ?? false);
        if (tooLarge)
        {
            string fix = limit == GroqLimitKind.OutputTokensPerMinute ? "Lower max tokens" : "Lower max tokens or shorten the prompt";
            return new GroqRequestTooLargeException(
                $"The request is larger than the {limitText} limit of {modelName} can ever admit (limit {limitValue}, requested {requested}). {fix}, or move to a plan with higher limits.",
                details)
            {
                Limit = limit,
                LimitValue = info?.LimitValue,
                Requested = info?.Requested,
            };
        }

        TimeSpan? wait = info?.TryAgainIn ?? details.RetryAfter;
        string when = wait is { } w ? $"it frees in {FormatWait(w)}" : "try again shortly";
        string used = info?.Used is { } u ? $", used {u}" : string.Empty;
        string daily = limit.IsDaily() ? " Daily limits free slowly: use another model or wait." : string.Empty;
        return new GroqRateLimitException($"Groq's {limitText} limit on {modelName} is reached (limit {limitValue}{used}, requested {requested}); {when}.{daily}", details)
        {
            Reason = GroqRateLimitReason.ServerRejected,
            Limit = limit,
            LimitValue = info?.LimitValue,
            Used = info?.Used,
            Requested = info?.Requested,
            Wait = wait,
            FreesAt = wait is { } f ? now + f : null,
        };
    }

    private static GroqException NonApiBody(int status, string? mediaType, ReadOnlySpan<byte> body, string where, GroqErrorDetails details)
    {
        string text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 4096)]).Trim();
        bool html = (mediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) ?? false) || text.StartsWith('<');
        string what = html ? "an HTML page" : text.Length == 0 ? "an empty body" : $"\"{Quote(text)}\"";
        return status switch
        {
            403 when text.Contains("1010", StringComparison.Ordinal)
                => new GroqPermissionDeniedException($"A proxy in front of Groq blocked the request (403, {what}); this happens to some default User-Agents. Set Groq:UserAgent to a real product name.", details),
            403 => new GroqPermissionDeniedException($"The server at {where} refused access (403, {what}). Check the API key's organization and any proxy in between.", details),
            401 => new GroqAuthenticationException($"The server at {where} rejected the API key (401, {what}). Check GROQ_API_KEY in .env or the environment.", details),
            429 => new GroqRateLimitException($"The server at {where} is rate limiting requests (429, {what}). Wait a moment and try again.", details) { Reason = GroqRateLimitReason.ServerRejected, Wait = details.RetryAfter },
            404 => new GroqNotFoundException($"The server at {where} answered 404 with {what} instead of Groq's JSON API. Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1.", details with { ErrorCode = "unknown_url" }),
            501 => new GroqServerException($"The server at {where} does not implement this API (501, {what}). Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1.", details),
            503 or 498 => new GroqOverCapacityException($"The server at {where} is unavailable ({status}, {what}). Try again shortly; https://groqstatus.com shows incidents.", details),
            >= 500 or 408 => new GroqServerException($"The server at {where} failed with {status} and sent {what} instead of Groq's JSON error. Try again shortly; if it persists, check GROQ_BASE_URL and https://groqstatus.com.", details),
            _ => new GroqBadRequestException($"The server at {where} answered {status} with {what} instead of Groq's JSON API. Check GROQ_BASE_URL and the request.", details),
        };
    }

    private static string Describe(HttpRequestMessage? request)
        => request?.RequestUri is { } uri ? $"{request.Method} {uri.GetLeftPart(UriPartial.Path)}" : "the configured base URL";

    private static string Quote(string text)
    {
        string single = text.ReplaceLineEndings(" ");
        return single.Length <= MaxQuotedBodyLength ? single : string.Concat(single.AsSpan(0, MaxQuotedBodyLength), "…");
    }

    /// <summary>Ends a server message with a full stop, so the advice after it reads as its own sentence.</summary>
    private static string Sentence(string text)
    {
        string trimmed = text.TrimEnd();
        return trimmed.Length == 0 || trimmed[^1] is '.' or '!' or '?' ? trimmed : trimmed + ".";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));
}
