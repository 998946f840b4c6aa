using SkGroq.Context;
namespace SkGroq.Caching;

/// <summary>
/// Which requests and answers the response cache takes, and how old an answer may be (which failures a stale answer may
/// stand in for is the failure policy's call: <c>GroqFailurePolicy.AllowsStaleAnswer</c>). Pure decisions: no clock, no I/O.
/// </summary>
internal static class CachePolicy
{
    /// <summary>Decides what the cache does with a request.</summary>
    /// <param name="mode">The ambient context's cache mode.</param>
    /// <param name="temperature">The request's <c>temperature</c>; <see langword="null"/> when absent (Groq's default is 1).</param>
    /// <returns>The decision.</returns>
    /// <remarks>
    /// Only answers worth reusing are cached: deterministic requests (<c>temperature</c> 0) by default — at any other
    /// temperature a second ask is expected to give another answer — or any request whose context opts in.
    /// </remarks>
    public static CacheRequestKind Classify(GroqCacheMode mode, double? temperature) => mode switch
    {
        GroqCacheMode.Disabled => CacheRequestKind.Bypass,
        GroqCacheMode.Refresh => CacheRequestKind.Refresh,
        GroqCacheMode.Enabled => CacheRequestKind.ReadWrite,
        _ => temperature == 0 ? CacheRequestKind.ReadWrite : CacheRequestKind.Bypass,
    };

    /// <summary>Gets a value indicating whether a complete answer may be stored.</summary>
    /// <param name="finishReason">Its finish reason.</param>
    /// <returns>
    /// <see langword="true"/> for <c>stop</c> (the model finished) and <c>length</c> (cut at max tokens — max tokens is part of
    /// the key, so the same request gets the same cut). Not for <c>tool_calls</c>/<c>function_call</c> (the answer is a step
    /// of an exchange whose results the next request carries), <c>content_filter</c>, or none.
    /// </returns>
    public static bool IsStorable(string? finishReason)
        => string.Equals(finishReason, "stop", StringComparison.Ordinal) || string.Equals(finishReason, "length", StringComparison.Ordinal);

    /// <summary>Says how usable an answer stored at <paramref name="storedAt"/> is at <paramref name="now"/>.</summary>
    /// <param name="storedAt">When it was stored.</param>
    /// <param name="now">The time now.</param>
    /// <param name="timeToLive">How long an answer is fresh.</param>
    /// <param name="staleWindow">How long past its time to live an answer may still stand in for an unavailable Groq.</param>
    /// <returns>The freshness.</returns>
    public static CacheFreshness Evaluate(DateTimeOffset storedAt, DateTimeOffset now, TimeSpan timeToLive, TimeSpan staleWindow)
    {
        TimeSpan age = now - storedAt;
        return age < timeToLive ? CacheFreshness.Fresh : age < timeToLive + staleWindow ? CacheFreshness.Stale : CacheFreshness.Expired;
    }
}
