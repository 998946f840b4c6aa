namespace SkGroq.Http.Caching;

/// <summary>Settings of the response cache.</summary>
public sealed class ResponseCachingOptions
{
    /// <summary>Gets or sets a value indicating whether answers to repeated deterministic requests are served from the cache.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;
}
