using System.Net;
using System.Text;
using SkGroq.Errors;
using SkGroq.Inspection;

namespace SkGroq.Tests.Errors;

/// <summary>Every status and error code of docs/GROQ-API.md §6 maps to one <see cref="GroqException"/> whose message says what happened and what to do.</summary>
public sealed class GroqErrorParserTests
{
    private const string Model = "llama-3.3-70b-versatile";
    private const string RequestId = "req_01k58ayzccefjv8xaggn412xag";
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Status401_InvalidKey()
    {
        GroqException error = Parse(401, """{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}""");

        Assert.IsType<GroqAuthenticationException>(error);
        Assert.Equal("authentication", error.Kind);
        Assert.Equal("Groq rejected the API key (invalid_api_key). Check GROQ_API_KEY in .env or the environment.", error.Message);
        Assert.Equal(RequestId, error.RequestId);
        Assert.Equal("invalid_api_key", error.ErrorCode);
        Assert.Equal("Invalid API Key", error.Details.ServerMessage);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void Status403_Json()
    {
        GroqException error = Parse(403, """{"error":{"message":"Your organization is restricted","type":"invalid_request_error","code":"permission_denied"}}""");

        Assert.IsType<GroqPermissionDeniedException>(error);
        Assert.Equal("Groq refused access (permission_denied): Your organization is restricted. Check that your organization may use model 'llama-3.3-70b-versatile' in the Groq console (https://console.groq.com).", error.Message);
    }

    [Fact]
    public void Status403_CloudflareBlock()
    {
        GroqException error = Parse(403, "error code: 1010", "text/plain");

        Assert.IsType<GroqPermissionDeniedException>(error);
        Assert.Equal("A proxy in front of Groq blocked the request (403, \"error code: 1010\"); this happens to some default User-Agents. Set Groq:UserAgent to a real product name.", error.Message);
    }

    [Fact]
    public void Status404_ModelNotFound()
    {
        GroqException error = Parse(404, """{"error":{"message":"The model `llama-3.3-70b-versatlie` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}""", model: "llama-3.3-70b-versatlie");

        Assert.Equal("model_not_found", Assert.IsType<GroqNotFoundException>(error).Kind);
        Assert.Equal("Model 'llama-3.3-70b-versatlie' does not exist or your organization has no access to it (model_not_found). Set Groq:Model (GROQ_MODEL) to one of the models Groq lists for your key (GET /models).", error.Message);
    }

    [Fact]
    public void Status404_UnknownUrl()
    {
        GroqException error = Parse(404, """{"error":{"message":"Unknown request URL: POST /openai/v2/chat/completions.","type":"invalid_request_error","code":"unknown_url"}}""");

        Assert.Equal("unknown_url", Assert.IsType<GroqNotFoundException>(error).Kind);
        Assert.Equal("Groq does not know the URL POST https://api.groq.com/openai/v1/chat/completions (unknown_url). Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1.", error.Message);
    }

    [Fact]
    public void Status404_HtmlPage_IsAWrongBaseUrl()
    {
        GroqException error = Parse(404, "<html><body>Not Found</body></html>", "text/html");

        Assert.Equal("unknown_url", Assert.IsType<GroqNotFoundException>(error).Kind);
        Assert.Equal("The server at POST https://api.groq.com/openai/v1/chat/completions answered 404 with an HTML page instead of Groq's JSON API. Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1.", error.Message);
    }

    [Fact]
    public void Status400_Decommissioned()
    {
        GroqException error = Parse(400, """{"error":{"message":"The model `gemma2-9b-it` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.","type":"invalid_request_error","code":"model_decommissioned"}}""", model: "gemma2-9b-it");

        Assert.IsType<GroqModelDecommissionedException>(error);
        Assert.Equal("Model 'gemma2-9b-it' has been retired (model_decommissioned). Set Groq:Model (GROQ_MODEL) to another model; https://console.groq.com/docs/deprecations names the replacements.", error.Message);
    }

    [Fact]
    public void Status400_ContextLengthExceeded()
    {
        GroqException error = Parse(400, """{"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""");

        Assert.IsType<GroqContextLengthExceededException>(error);
        Assert.Equal("The conversation plus the requested max tokens do not fit the context window of model 'llama-3.3-70b-versatile' (context_length_exceeded). Shorten the history or lower max tokens.", error.Message);
    }

    [Fact]
    public void Status400_ToolUseFailed_CarriesFailedGeneration()
    {
        GroqException error = Parse(400, """{"error":{"message":"Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.","type":"invalid_request_error","code":"tool_use_failed","failed_generation":"<function=brave_search>\"query\": \"today's date\"}</function>"}}""");

        var tool = Assert.IsType<GroqToolUseFailedException>(error);
        Assert.Equal("<function=brave_search>\"query\": \"today's date\"}</function>", tool.FailedGeneration);
        Assert.Equal("The model produced an invalid tool call (tool_use_failed): Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details. Rephrase the request or check the tool's schema; FailedGeneration holds what the model wrote.", error.Message);
    }

    [Fact]
    public void Status400_JsonValidateFailed()
    {
        GroqException error = Parse(400, """{"error":{"message":"Failed to validate JSON. Please adjust your prompt. See 'failed_generation' for more details.","type":"invalid_request_error","code":"json_validate_failed","failed_generation":""}}""");

        Assert.IsType<GroqBadRequestException>(error);
        Assert.Equal("The model's answer failed JSON validation (json_validate_failed): Failed to validate JSON. Please adjust your prompt. See 'failed_generation' for more details. Adjust the prompt or the response format's schema, or ask again.", error.Message);
    }

    [Fact]
    public void Status400_ModelTermsRequired()
    {
        GroqException error = Parse(400, """{"error":{"message":"The model `canopylabs/orpheus-v1-english` requires terms acceptance. Please have the org admin accept the terms at https://console.groq.com/playground?model=canopylabs%2Forpheus-v1-english","type":"invalid_request_error","code":"model_terms_required"}}""", model: "canopylabs/orpheus-v1-english");

        Assert.IsType<GroqPermissionDeniedException>(error);
        Assert.StartsWith("Model 'canopylabs/orpheus-v1-english' requires its terms to be accepted (model_terms_required): The model", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("An organization admin must accept them in the Groq console.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status400_UnknownProperty_NamesTheField()
    {
        GroqException error = Parse(400, """{"error":{"message":"property 'max_tokens_typo' is unsupported, did you mean 'max_tokens'?","type":"invalid_request_error","param":"max_tokens_typo"}}""");

        Assert.IsType<GroqBadRequestException>(error);
        Assert.Equal("Groq rejected the request (400 invalid_request_error, field 'max_tokens_typo'): property 'max_tokens_typo' is unsupported, did you mean 'max_tokens'? Fix the request as the message says.", error.Message);
    }

    [Fact]
    public void Status413_TokensPerMinuteTooLarge()
    {
        GroqException error = Parse(413, """{"error":{"message":"Request too large for model `llama-3.1-8b-instant` in organization `org_01jy16rk1yffks8jdsmfn4s7rj` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Requested 15041, please reduce your message size and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing","type":"tokens","code":"rate_limit_exceeded"}}""", model: "llama-3.1-8b-instant");

        var large = Assert.IsType<GroqRequestTooLargeException>(error);
        Assert.Equal(GroqLimitKind.TokensPerMinute, large.Limit);
        Assert.Equal(6000, large.LimitValue);
        Assert.Equal(15041, large.Requested);
        Assert.Equal("The request is larger than the tokens/minute limit of model 'llama-3.1-8b-instant' can ever admit (limit 6000, requested 15041). Lower max tokens or shorten the prompt, or move to a plan with higher limits.", error.Message);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void Status413_EntityTooLarge()
    {
        GroqException error = Parse(413, """{"error":{"message":"Request Entity Too Large","type":"invalid_request_error","code":"request_too_large"}}""");

        Assert.IsType<GroqRequestTooLargeException>(error);
        Assert.Equal("The request is too large for Groq (request_too_large): Request Entity Too Large. Shorten the prompt or lower max tokens.", error.Message);
    }

    [Fact]
    public void Status422()
    {
        GroqException error = Parse(422, """{"error":{"message":"could not be followed","type":"invalid_request_error"}}""");

        Assert.IsType<GroqBadRequestException>(error);
        Assert.Equal(422, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Equal("Groq could not follow the request (422 invalid_request_error): could not be followed. Change the request (prompt, tools, response format); sending it unchanged will likely fail again.", error.Message);
    }

    [Fact]
    public void Status424()
    {
        GroqException error = Parse(424, """{"error":{"message":"MCP server authentication failed","type":"invalid_request_error"}}""");

        Assert.IsType<GroqBadRequestException>(error);
        Assert.Equal("A service the request depends on failed (424 invalid_request_error): MCP server authentication failed. Check the remote tool (MCP) server's address and credentials.", error.Message);
    }

    [Fact]
    public void Status429_TokensPerMinute_PrefersTheMessagesPreciseWaitOverTheRoundedHeader()
    {
        GroqException error = Parse(
            429,
            """{"error":{"message":"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01jy16rk1yffks8jdsmfn4s7rj` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5959, Requested 400. Please try again in 3.6s","type":"tokens","code":"rate_limit_exceeded"}}""",
            model: "llama-3.1-8b-instant",
            headers: r => r.Headers.Add("retry-after", "4"));

        var limit = Assert.IsType<GroqRateLimitException>(error);
        Assert.Equal(GroqRateLimitReason.ServerRejected, limit.Reason);
        Assert.Equal(GroqLimitKind.TokensPerMinute, limit.Limit);
        Assert.Equal((6000L, 5959L, 400L), (limit.LimitValue!.Value, limit.Used!.Value, limit.Requested!.Value));
        Assert.Equal(TimeSpan.FromSeconds(3.6), limit.RetryAfter);
        Assert.Equal(s_now.AddSeconds(3.6), limit.FreesAt);
        Assert.True(limit.IsRetryable);
        Assert.Equal("Groq's tokens/minute limit on model 'llama-3.1-8b-instant' is reached (limit 6000, used 5959, requested 400); it frees in 3.6 s.", error.Message);
    }

    [Fact]
    public void Status429_MessageOnly_WaitsWhatItSays()
    {
        GroqException error = Parse(429, """{"error":{"message":"Rate limit reached for model `m` on tokens per minute (TPM): Limit 6000, Used 4093, Requested 3531. Please try again in 16.239999999s.","type":"tokens","code":"rate_limit_exceeded"}}""");

        Assert.Equal(TimeSpan.FromTicks(162_399_999), error.RetryAfter);
    }

    [Fact]
    public void Status429_RetryAfterMs_IsPreferredOverRetryAfter()
    {
        GroqException error = Parse(429, """{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}""", headers: r =>
        {
            r.Headers.Add("retry-after-ms", "1250");
            r.Headers.Add("retry-after", "2");
        });

        Assert.Equal(TimeSpan.FromMilliseconds(1250), error.RetryAfter);
    }

    [Theory]
    [InlineData("retry-after", "1e20")]
    [InlineData("retry-after", "500000000000")]
    [InlineData("retry-after", "922337203685")]
    [InlineData("retry-after-ms", "1e30")]
    [InlineData("retry-after-ms", "922337203685477")]
    [InlineData("retry-after", "NaN")]
    [InlineData("retry-after", "Infinity")]
    public void Status429_RetryAfterBeyondAnyWait_IsIgnored(string header, string value)
    {
        GroqException error = Parse(429, """{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}""", headers: r => r.Headers.TryAddWithoutValidation(header, value));

        Assert.IsType<GroqRateLimitException>(error);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public void Status429_TryAgainInBeyondAnyWait_IsIgnored()
    {
        GroqException error = Parse(429, """{"error":{"message":"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01` service tier `on_demand` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 60476035270016056h.","type":"requests","code":"rate_limit_exceeded"}}""");

        Assert.IsType<GroqRateLimitException>(error);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public void Status429_RetryAfterHttpDate()
    {
        GroqException error = Parse(429, """{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}""", headers: r => r.Headers.Add("retry-after", s_now.AddSeconds(7).ToString("r", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Fact]
    public void Status429_Daily_IsNotRetryable_AndSaysSo()
    {
        GroqException error = Parse(429, """{"error":{"message":"Rate limit reached for model `llama-3.3-70b-versatile` on tokens per day (TPD): Limit 100000, Used 99290, Requested 1743. Please try again in 14m52s.","type":"tokens","code":"rate_limit_exceeded"}}""");

        Assert.False(error.IsRetryable);
        Assert.Equal("Groq's tokens/day limit on model 'llama-3.3-70b-versatile' is reached (limit 100000, used 99290, requested 1743); it frees in 14m52s. Daily limits free slowly: use another model or wait.", error.Message);
    }

    [Fact]
    public void Status429_ShouldRetryFalse_OutputTooLarge()
    {
        GroqException error = Parse(429, """{"error":{"message":"Request too large for model qwen/qwen3.6-27b in organization org_01ktt6pk7wedtsby9ysqq32py1 service tier on_demand on output tokens per minute (OTPM): Limit 1000, Requested 2512. The request's expected output tokens exceed the enforced limit; reduce max_tokens (or the request's expected output) and try again.","type":"tokens","code":"rate_limit_exceeded"}}""", model: "qwen/qwen3.6-27b", headers: r => r.Headers.Add("x-should-retry", "false"));

        var large = Assert.IsType<GroqRequestTooLargeException>(error);
        Assert.Equal(GroqLimitKind.OutputTokensPerMinute, large.Limit);
        Assert.False(error.IsRetryable);
        Assert.Equal("The request is larger than the output tokens/minute limit of model 'qwen/qwen3.6-27b' can ever admit (limit 1000, requested 2512). Lower max tokens, or move to a plan with higher limits.", error.Message);
    }

    [Fact]
    public void Status429_WithoutCode_IsStillARateLimit()
    {
        GroqException error = Parse(429, """{"error":{"message":"Too many requests"}}""", headers: r => r.Headers.Add("retry-after", "2"));

        Assert.IsType<GroqRateLimitException>(error);
        Assert.True(error.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
    }

    [Fact]
    public void Status429_PlainText_IsARateLimit()
    {
        GroqException error = Parse(429, "Too Many Requests", "text/plain", headers: r => r.Headers.Add("retry-after", "3"));

        Assert.IsType<GroqRateLimitException>(error);
        Assert.True(error.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Equal("The server at POST https://api.groq.com/openai/v1/chat/completions is rate limiting requests (429, \"Too Many Requests\"). Wait a moment and try again.", error.Message);
    }

    [Fact]
    public void Status498_FlexCapacity()
    {
        GroqException error = Parse(498, """{"error":{"message":"Flex tier capacity exceeded for model `llama-3.3-70b-versatile`. You can try again later.","type":"invalid_request_error","code":"capacity_exceeded"}}""");

        Assert.IsType<GroqOverCapacityException>(error);
        Assert.True(error.IsRetryable);
        Assert.Equal("Flex-tier capacity for model 'llama-3.3-70b-versatile' is exhausted (capacity_exceeded). Try again later, or use the on_demand service tier.", error.Message);
    }

    [Fact]
    public void Status500()
    {
        GroqException error = Parse(500, """{"error":{"message":"Internal Server Error","type":"internal_server_error"}}""");

        Assert.IsType<GroqServerException>(error);
        Assert.True(error.IsRetryable);
        Assert.Equal("Groq failed with 500 (internal_server_error): Internal Server Error. Try again shortly; https://groqstatus.com shows incidents.", error.Message);
    }

    [Fact]
    public void Status502_HtmlPage()
    {
        GroqException error = Parse(502, "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>", "text/html");

        Assert.IsType<GroqServerException>(error);
        Assert.True(error.IsRetryable);
        Assert.Equal("The server at POST https://api.groq.com/openai/v1/chat/completions failed with 502 and sent an HTML page instead of Groq's JSON error. Try again shortly; if it persists, check GROQ_BASE_URL and https://groqstatus.com.", error.Message);
    }

    [Fact]
    public void Status503_OverCapacity()
    {
        GroqException error = Parse(503, """{"error":{"message":"llama-3.3-70b-versatile is currently over capacity. Please try again and back off exponentially. Visit https://groqstatus.com to see if there is an active incident.","type":"internal_server_error"}}""");

        Assert.IsType<GroqOverCapacityException>(error);
        Assert.Equal("over_capacity", error.Kind);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public void Status503_EmptyBody()
    {
        GroqException error = Parse(503, string.Empty, "text/plain");

        Assert.IsType<GroqOverCapacityException>(error);
        Assert.Equal("The server at POST https://api.groq.com/openai/v1/chat/completions is unavailable (503, an empty body). Try again shortly; https://groqstatus.com shows incidents.", error.Message);
    }

    [Fact]
    public void Status408()
    {
        GroqException error = Parse(408, """{"error":{"message":"Request Timeout","type":"invalid_request_error"}}""");

        Assert.IsType<GroqServerException>(error);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public void ShouldRetryHeader_Wins()
    {
        Assert.False(Parse(500, """{"error":{"message":"x","type":"internal_server_error"}}""", headers: r => r.Headers.Add("x-should-retry", "false")).IsRetryable);
    }

    [Fact]
    public void StreamError_CarriesStatusCodeAndPartialText()
    {
        GroqStreamInterruptedException error = GroqErrorParser.FromStreamError(
            Encoding.UTF8.GetBytes("""{"error":{"message":"Tool choice is required, but model did not call a tool","type":"invalid_request_error","code":"tool_use_failed","failed_generation":"","status_code":400}}"""),
            "partial",
            Model,
            RequestId);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("tool_use_failed", error.ErrorCode);
        Assert.Equal("partial", error.PartialText);
        Assert.Equal(RequestId, error.RequestId);
        Assert.False(error.IsRetryable);
        Assert.Equal("Groq stopped the answer after 7 characters of text (tool_use_failed): Tool choice is required, but model did not call a tool. The model's tool call failed validation; rephrase the request or check the tool's schema.", error.Message);
    }

    [Fact]
    public void XGroqError()
    {
        GroqStreamInterruptedException error = GroqErrorParser.FromXGroqError("stream stopped", "ab", Model, RequestId);

        Assert.Equal("Groq stopped the answer after 2 characters of text: stream stopped. This is usually temporary: ask again.", error.Message);
        Assert.Equal("ab", error.PartialText);
    }

    private static GroqException Parse(int status, string body, string mediaType = "application/json", string model = Model, Action<HttpResponseMessage>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions");
        using var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
        response.Headers.Add("x-request-id", RequestId);
        headers?.Invoke(response);
        return GroqErrorParser.FromResponse(response, Encoding.UTF8.GetBytes(body), model, s_now);
    }
}
