namespace SkGroq.Errors;

/// <summary>What the server said about a failure, common to every <see cref="GroqException"/>.</summary>
public sealed record GroqErrorDetails
{
    /// <summary>Gets details that say nothing.</summary>
    public static GroqErrorDetails None { get; } = new();

    /// <summary>Gets the HTTP status code (for mid-stream errors: the <c>status_code</c> Groq put in the frame).</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets Groq's <c>error.type</c>, e.g. <c>invalid_request_error</c>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets Groq's <c>error.code</c>, e.g. <c>model_not_found</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets Groq's <c>error.param</c>, the request field at fault.</summary>
    public string? Param { get; init; }

    /// <summary>Gets Groq's own message, verbatim.</summary>
    public string? ServerMessage { get; init; }

    /// <summary>Gets Groq's request id (<c>x-request-id</c>), for support tickets.</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets the model the failed request was for.</summary>
    public string? Model { get; init; }

    /// <summary>Gets how long the server asked to wait before trying again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the server's <c>x-should-retry</c> verdict, when it sent one.</summary>
    public bool? ShouldRetry { get; init; }

    /// <summary>Gets the <c>x-ratelimit-*</c> headers of the error response (Groq sends them on 400s and some 429s), for the limiter to learn from.</summary>
    public GroqRateLimitHeaders? RateLimits { get; init; }
}
