using SkGroq.Errors;

namespace SkGroq.Emulator.RateLimits;

/// <summary>The limiter's verdict on one request.</summary>
/// <param name="Status">200 (admitted), 413 (can never fit) or 429 (not now).</param>
/// <param name="Limit">The limit that refused.</param>
/// <param name="LimitValue">Its value.</param>
/// <param name="Used">What is in use (limit − remaining).</param>
/// <param name="Requested">What the request needs (1 for requests, prompt + max tokens for tokens).</param>
/// <param name="WaitNanoseconds">How long until it would fit.</param>
/// <param name="Headers">The header values after the decision.</param>
internal readonly record struct Admission(int Status, GroqLimitKind Limit, long LimitValue, long Used, long Requested, long WaitNanoseconds, RateLimitHeaderValues Headers)
{
    public bool Admitted => Status == 200;
}
