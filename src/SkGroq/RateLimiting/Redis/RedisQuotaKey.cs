using StackExchange.Redis;
namespace SkGroq.RateLimiting.Redis;

/// <summary>
/// The Redis names of one organization and model — <c>&lt;prefix&gt;:quota:{&lt;organization&gt;:&lt;model&gt;}</c> (state) and
/// <c>…:inflight</c> (reservations) — built once, and the limits and usage Redis last reported for it.
/// </summary>
/// <remarks>Both keys share the hash tag in braces, so a cluster keeps them on one node and each script touches one slot.</remarks>
internal sealed class RedisQuotaKey
{
    private readonly Lock _gate = new();
    private QuotaFigures _limits;
    private QuotaFigures _used;
    private bool _known;

    /// <summary>Initializes a new instance of the <see cref="RedisQuotaKey"/> class.</summary>
    /// <param name="prefix">The key prefix (validated: no braces).</param>
    /// <param name="key">The organization and model.</param>
    /// <param name="instance">This process's id, put in notifications so it ignores its own.</param>
    public RedisQuotaKey(string prefix, QuotaKey key, string instance)
    {
        Key = key;
        Name = $"{prefix}:quota:{{{Escape(key.Organization)}:{Escape(key.Model)}}}";
        Keys = [Name, Name + ":inflight"];
        FreedMessage = instance + " " + Name;
    }

    /// <summary>Gets the organization and model.</summary>
    public QuotaKey Key { get; }

    /// <summary>Gets the name of the state hash.</summary>
    public string Name { get; }

    /// <summary>Gets the keys every script takes: the state hash and the in-flight set (shared, never modified).</summary>
    public RedisKey[] Keys { get; }

    /// <summary>Gets the message published when quota of this key was given back.</summary>
    public RedisValue FreedMessage { get; }

    /// <summary>Records the limits and usage of an answer.</summary>
    /// <param name="limits">The limits.</param>
    /// <param name="used">The usage.</param>
    public void Remember(in QuotaFigures limits, in QuotaFigures used)
    {
        lock (_gate)
        {
            _limits = limits;
            _used = used;
            _known = true;
        }
    }

    /// <summary>Gets the limits and usage of the last answer.</summary>
    /// <param name="limits">The limits.</param>
    /// <param name="used">The usage.</param>
    /// <returns><see langword="false"/> when there was none.</returns>
    public bool TryGetLastKnown(out QuotaFigures limits, out QuotaFigures used)
    {
        lock (_gate)
        {
            (limits, used) = (_limits, _used);
            return _known;
        }
    }

    // Braces would end the hash tag early, '%' keeps the escaping reversible; model ids and org labels rarely contain any.
    private static string Escape(string value)
        => value.AsSpan().IndexOfAny("{}%") < 0
            ? value
            : value.Replace("%", "%25", StringComparison.Ordinal).Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal);
}
