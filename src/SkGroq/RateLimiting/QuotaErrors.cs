using System.Globalization;
using SkGroq.Errors;
using SkGroq.Inspection;

namespace SkGroq.RateLimiting;

/// <summary>The errors the quota queue reports, with messages that name the limit, when it frees and what to do.</summary>
internal static class QuotaErrors
{
    private const string TimeoutFix = "Raise the request's timeout (Groq:RequestTimeout, or GroqRequestOptions.Timeout), lower max tokens, or use another model.";

    /// <summary>The request cannot be admitted before its deadline (<see cref="GroqRateLimitReason.RateLimitTimeout"/>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="limit">The binding limit (<see cref="GroqLimitKind.Unknown"/> when the request only waited for its turn).</param>
    /// <param name="limitValue">The limit's value.</param>
    /// <param name="requested">What the request asked of the limit.</param>
    /// <param name="waited">How long the request already waited.</param>
    /// <param name="freesAt">When the limit frees enough, when known.</param>
    /// <param name="now">The current time.</param>
    /// <param name="ahead">How many requests were served before it, for the message when it only waited its turn.</param>
    /// <returns>The exception.</returns>
    public static GroqRateLimitException Timeout(string model, GroqLimitKind limit, long? limitValue, long? requested, TimeSpan waited, DateTimeOffset? freesAt, DateTimeOffset now, int ahead = 0)
    {
        TimeSpan? wait = freesAt is { } at ? (at > now ? at - now : TimeSpan.Zero) : null;
        string what = limit == GroqLimitKind.Unknown
            ? $"its turn in the queue of {model} ({ahead} earlier requests waiting)"
            : $"{limit.ToDisplayName()} on {model}{(limitValue is { } v ? $" (limit {v.ToString("N0", CultureInfo.InvariantCulture)})" : string.Empty)}";
        string fix = limit.IsDaily() ? "Daily limits free slowly: use another model, or send the request after that time." : TimeoutFix;
        string message = (waited > TimeSpan.Zero, wait, freesAt) switch
        {
            (true, { } w, { } f) => $"Waited {GroqErrorParser.FormatWait(waited)} for {what}; it frees at {FormatTime(f, now)} (in {GroqErrorParser.FormatWait(w)}), after the request's deadline. {fix}",
            (false, { } w, { } f) => $"Not sent: {what} frees at {FormatTime(f, now)} (in {GroqErrorParser.FormatWait(w)}), after the request's deadline. {fix}",
            (true, _, _) => $"Waited {GroqErrorParser.FormatWait(waited)} for {what} until the request's deadline. {fix}",
            _ => $"Not sent: the request's deadline passed before {what} admitted it. {fix}",
        };
        return new GroqRateLimitException(message, new GroqErrorDetails { Model = model, RetryAfter = wait })
        {
            Reason = GroqRateLimitReason.RateLimitTimeout,
            Limit = limit,
            LimitValue = limitValue,
            Requested = requested,
            FreesAt = freesAt,
            Wait = wait,
        };
    }

    /// <summary>The model's queue is full (<see cref="GroqRateLimitReason.QueueFull"/>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="maxQueueLength">The configured maximum.</param>
    /// <returns>The exception.</returns>
    public static GroqRateLimitException QueueFull(string model, int maxQueueLength)
        => new(
            $"Not sent: {maxQueueLength.ToString("N0", CultureInfo.InvariantCulture)} requests already wait for quota on {model}, the most Groq:RateLimiting:MaxQueueLength allows. Send fewer requests at once, raise Groq:RateLimiting:MaxQueueLength, or use another model.",
            new GroqErrorDetails { Model = model })
        {
            Reason = GroqRateLimitReason.QueueFull,
        };

    /// <summary>The request is larger than a token limit can ever admit.</summary>
    /// <param name="model">The model.</param>
    /// <param name="limit">The token limit.</param>
    /// <param name="limitValue">Its value.</param>
    /// <param name="requested">The tokens the request needs.</param>
    /// <returns>The exception.</returns>
    public static GroqRequestTooLargeException TooLarge(string model, GroqLimitKind limit, long limitValue, long requested)
        => new(
            $"Not sent: the request needs {requested.ToString("N0", CultureInfo.InvariantCulture)} tokens (prompt + max tokens) but the {limit.ToDisplayName()} limit of {model} is {limitValue.ToString("N0", CultureInfo.InvariantCulture)}, so Groq would never admit it. Lower max tokens, shorten the prompt or history, or use a model or plan with a higher limit.",
            new GroqErrorDetails { Model = model })
        {
            Limit = limit,
            LimitValue = limitValue,
            Requested = requested,
            IsLocal = true,
        };

    private static string FormatTime(DateTimeOffset at, DateTimeOffset now)
        => at.UtcDateTime.ToString(at - now < TimeSpan.FromHours(12) ? "HH:mm:ss 'UTC'" : "yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
