namespace SkGroq.Caching;

/// <summary>How usable a stored answer is at a given time.</summary>
internal enum CacheFreshness
{
    /// <summary>Younger than the time to live: served as a hit.</summary>
    Fresh,

    /// <summary>Past the time to live but inside the stale window: served only when Groq is unavailable (degraded mode).</summary>
    Stale,

    /// <summary>Past the stale window too: never served.</summary>
    Expired,
}
