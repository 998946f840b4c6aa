namespace SkGroq.Caching;

/// <summary>What the response cache does with one request.</summary>
internal enum CacheRequestKind
{
    /// <summary>Neither read nor write the cache: the request is not deterministic and did not opt in, or it opted out.</summary>
    Bypass,

    /// <summary>Answer from the cache when a fresh entry exists; otherwise ask Groq (once for identical concurrent requests) and store the answer.</summary>
    ReadWrite,

    /// <summary>Ask Groq even if a fresh entry exists, and store the new answer (<c>GroqCacheMode.Refresh</c>).</summary>
    Refresh,
}
