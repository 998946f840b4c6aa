namespace SkGroq.Usage.Tracking;

/// <summary>
/// Marks a handler below the usage tracker sets on the request (<see cref="HttpRequestMessage.Options"/>) to describe the
/// answer it returns, so the usage record says so.
/// </summary>
/// <remarks>
/// The response cache sets <see cref="CacheHit"/> (and <see cref="Stale"/> when it served an expired entry because every
/// model failed) on the request whose response it answers from the cache. Such a record bills 0 tokens and costs 0; its
/// usage — read from the cached body when it carries one — counts as tokens saved.
/// </remarks>
internal static class UsageMarkers
{
    /// <summary>The answer came from the response cache, not from Groq.</summary>
    public static readonly HttpRequestOptionsKey<bool> CacheHit = new("SkGroq.Usage.CacheHit");

    /// <summary>The cached answer was served past its freshness (degraded mode).</summary>
    public static readonly HttpRequestOptionsKey<bool> Stale = new("SkGroq.Usage.Stale");

    /// <summary>Reads a mark.</summary>
    /// <param name="request">The request.</param>
    /// <param name="key">The mark.</param>
    /// <returns><see langword="true"/> when set.</returns>
    public static bool IsSet(HttpRequestMessage request, HttpRequestOptionsKey<bool> key)
        => request.Options.TryGetValue(key, out bool value) && value;
}
