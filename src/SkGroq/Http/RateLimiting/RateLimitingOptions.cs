namespace SkGroq.Http.RateLimiting;

/// <summary>Settings of the rate limiter and request queue.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Gets or sets a value indicating whether requests are queued to stay within Groq's limits.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;
}
