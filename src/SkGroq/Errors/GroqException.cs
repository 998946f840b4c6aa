namespace SkGroq.Errors;

/// <summary>
/// The root of every error SkGroq reports. <see cref="Exception.Message"/> is written for the person at the keyboard:
/// what happened and what to do. The properties carry what Groq said, for programs.
/// </summary>
public abstract class GroqException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="GroqException"/> class.</summary>
    /// <param name="message">The user-facing message: what happened and what to do.</param>
    /// <param name="details">What the server said.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected GroqException(string message, GroqErrorDetails? details, Exception? innerException)
        : base(message, innerException)
    {
        Details = details ?? GroqErrorDetails.None;
    }

    /// <summary>Gets a short, stable name of the kind of error, e.g. <c>rate_limited</c>; used as <c>UsageRecord.ErrorKind</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Gets a value indicating whether another attempt may succeed, before the server's <c>x-should-retry</c> is considered.</summary>
    public virtual bool IsTransient => false;

    /// <summary>Gets what the server said.</summary>
    public GroqErrorDetails Details { get; }

    /// <summary>Gets the HTTP status code.</summary>
    public int? StatusCode => Details.StatusCode;

    /// <summary>Gets Groq's <c>error.code</c>.</summary>
    public string? ErrorCode => Details.ErrorCode;

    /// <summary>Gets Groq's request id, for support tickets.</summary>
    public string? RequestId => Details.RequestId;

    /// <summary>Gets the model the failed request was for.</summary>
    public string? Model => Details.Model;

    /// <summary>Gets how long the server asked to wait before trying again.</summary>
    public virtual TimeSpan? RetryAfter => Details.RetryAfter;

    /// <summary>Gets a value indicating whether a retry policy may try again: the server's <c>x-should-retry</c> when sent, else <see cref="IsTransient"/>.</summary>
    public bool IsRetryable => Details.ShouldRetry ?? IsTransient;
}
