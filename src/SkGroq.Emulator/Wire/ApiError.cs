namespace SkGroq.Emulator.Wire;

/// <summary>A Groq error answer: status and the fields of <c>{"error":{message, type, param, code, failed_generation}}</c>.</summary>
internal sealed record ApiError(int Status, string Message, string Type, string? Code = null, string? Param = null)
{
    public const string InvalidRequest = "invalid_request_error";

    public string? FailedGeneration { get; init; }

    /// <summary>Gets a value indicating whether the answer carries the model's <c>x-ratelimit-*</c> headers (non-429 4xx of a known model).</summary>
    public bool WithRateLimitHeaders { get; init; }

    public static ApiError BadRequest(string message, string? param = null, string? code = null)
        => new(400, message, InvalidRequest, code, param) { WithRateLimitHeaders = true };

    public static ApiError InvalidApiKey() => new(401, "Invalid API Key", InvalidRequest, "invalid_api_key");

    public static ApiError UnknownUrl(string method, string path)
        => new(404, $"Unknown request URL: {method} {path}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/", InvalidRequest, "unknown_url");

    public static ApiError ModelNotFound(string model)
        => new(404, $"The model `{model}` does not exist or you do not have access to it.", InvalidRequest, "model_not_found");

    public static ApiError ModelDecommissioned(string model)
        => new(400, $"The model `{model}` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.", InvalidRequest, "model_decommissioned");

    public static ApiError ContextLengthExceeded()
        => BadRequest("Please reduce the length of the messages or completion.", "messages", "context_length_exceeded");

    public static ApiError MaxTokensTooLarge(string param, int maximum)
        => BadRequest($"'{param}' must be less than or equal to {maximum}, the maximum value for '{param}' is less than the 'context_window' for this model", param);

    public static ApiError UnsupportedProperty(string property, string suggestion)
        => BadRequest($"property '{property}' is unsupported, did you mean '{suggestion}'?");

    public static ApiError UnsupportedMessageProperty(int index, string role, string property, string suggestion)
        => BadRequest($"'messages.{index}' : for 'role:{role}' the following must be satisfied[('messages.{index}' : property '{property}' is unsupported, did you mean '{suggestion}'?)]");

    public static ApiError ToolNotInRequest(string name, string failedGeneration)
        => BadRequest($"tool call validation failed: attempted to call tool '{name}' which was not in request.tools", code: "tool_use_failed") with { FailedGeneration = failedGeneration };

    public static ApiError ToolChoiceRequired()
        => BadRequest("Tool choice is required, but model did not call a tool", code: "tool_use_failed") with { FailedGeneration = string.Empty };

    public static ApiError InternalServerError() => new(500, "Internal Server Error", "internal_server_error");

    public static ApiError BadGateway() => new(502, "Bad Gateway", "internal_server_error");

    public static ApiError OverCapacity(string model)
        => new(503, $"{model} is currently over capacity. Please try again and back off exponentially. Visit https://groqstatus.com to see if there is an active incident.", "internal_server_error");

    public static ApiError FlexCapacityExceeded(string model)
        => new(498, $"Flex tier capacity exceeded for model `{model}`. You can try again later.", InvalidRequest, "capacity_exceeded");
}
