namespace SkGroq.Context;

/// <summary>How the response cache treats one request.</summary>
public enum GroqCacheMode
{
    /// <summary>Cache only deterministic requests (temperature 0).</summary>
    Default = 0,

    /// <summary>Opt in: cache and serve this request even though it is not deterministic.</summary>
    Enabled = 1,

    /// <summary>Opt out: neither read nor write the cache.</summary>
    Disabled = 2,

    /// <summary>Skip the cached answer, ask Groq, and store the new answer.</summary>
    Refresh = 3,
}
