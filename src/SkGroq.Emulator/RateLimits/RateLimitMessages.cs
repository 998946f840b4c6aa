using SkGroq.Errors;

namespace SkGroq.Emulator.RateLimits;

/// <summary>Groq's rate-limit error texts, verbatim in shape (docs/GROQ-API.md §5.4).</summary>
internal static class RateLimitMessages
{
    public const string ServiceTier = "on_demand";

    public const string Upsell = " Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing";

    public static string Describe(GroqLimitKind kind) => kind switch
    {
        GroqLimitKind.RequestsPerMinute => "requests per minute (RPM)",
        GroqLimitKind.RequestsPerDay => "requests per day (RPD)",
        GroqLimitKind.TokensPerMinute => "tokens per minute (TPM)",
        GroqLimitKind.TokensPerDay => "tokens per day (TPD)",
        GroqLimitKind.OutputTokensPerMinute => "output tokens per minute (OTPM)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a chat-completion limit."),
    };

    /// <summary><c>type</c> of the error: <c>tokens</c> or <c>requests</c>.</summary>
    public static string ErrorType(GroqLimitKind kind) => kind is GroqLimitKind.RequestsPerMinute or GroqLimitKind.RequestsPerDay ? "requests" : "tokens";

    /// <summary>429: "Rate limit reached for model `M` in organization `O` service tier `on_demand` on tokens per minute (TPM): Limit L, Used U, Requested R. Please try again in 3.6s".</summary>
    public static string RateLimitReached(string model, string organization, GroqLimitKind kind, long limit, long used, long requested, long waitNanoseconds, bool upsell)
        => FormattableString.Invariant(
            $"Rate limit reached for model `{model}` in organization `{organization}` service tier `{ServiceTier}` on {Describe(kind)}: Limit {limit}, Used {used}, Requested {requested}. Please try again in {RateLimitMath.Format(waitNanoseconds)}.{(upsell ? Upsell : string.Empty)}");

    /// <summary>413: "Request too large for model `M` in organization `O` service tier `on_demand` on tokens per minute (TPM): Limit L, Requested R, please reduce your message size and try again."</summary>
    public static string RequestTooLarge(string model, string organization, GroqLimitKind kind, long limit, long requested, bool upsell)
        => FormattableString.Invariant(
            $"Request too large for model `{model}` in organization `{organization}` service tier `{ServiceTier}` on {Describe(kind)}: Limit {limit}, Requested {requested}, please reduce your message size and try again.{(upsell ? Upsell : string.Empty)}");

    /// <summary>The OTPM "Request too large" 429 (recorded without backticks, with <c>x-should-retry: false</c>).</summary>
    public static string OutputTooLarge(string model, string organization, long limit, long requested, bool upsell)
        => FormattableString.Invariant(
            $"Request too large for model {model} in organization {organization} service tier {ServiceTier} on output tokens per minute (OTPM): Limit {limit}, Requested {requested}. The request's expected output tokens exceed the enforced limit; reduce max_tokens (or the request's expected output) and try again.{(upsell ? Upsell : string.Empty)}");
}
