using System.Collections.Concurrent;
namespace SkGroq.Caching;

/// <summary>
/// Coalesces concurrent work on the same key: the first caller of <see cref="Join"/> leads and does the work; those that
/// join while it runs follow and await the leader's <see cref="Flight{T}.Result"/>.
/// </summary>
/// <typeparam name="T">What the work produces; <see langword="null"/> when it produced nothing to share.</typeparam>
/// <remarks>
/// A flight without a result to share ends with <see cref="Complete"/>: it leaves the table first, so a caller arriving
/// later starts afresh, then its followers are released. A flight with a result is <see cref="Publish"/>ed — followers get
/// it at once and callers arriving meanwhile too — and leaves the table with <see cref="Forget"/> once the result is where
/// later callers find it (the store). Continuations run asynchronously, never inside the leader. A flight older than the
/// limit given to <see cref="Join"/> that has no result is treated as lost (its leader vanished) and replaced.
/// </remarks>
internal sealed class SingleFlight<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, Flight<T>> _flights = new(StringComparer.Ordinal);

    /// <summary>Gets the number of flights under way.</summary>
    public int Count => _flights.Count;

    /// <summary>Gets the number of followers of the flight under way for <paramref name="key"/> (0 when there is none).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number of followers.</returns>
    public int FollowersOf(string key) => _flights.TryGetValue(key, out Flight<T>? flight) ? flight.Followers : 0;

    /// <summary>Joins the flight for <paramref name="key"/>, or starts one.</summary>
    /// <param name="key">The key.</param>
    /// <param name="now">The time now.</param>
    /// <param name="maxAge">How old a flight may be before it is considered lost and replaced.</param>
    /// <param name="leader"><see langword="true"/> when the caller started the flight and must complete it.</param>
    /// <returns>The flight.</returns>
    public Flight<T> Join(string key, DateTimeOffset now, TimeSpan maxAge, out bool leader)
    {
        ArgumentNullException.ThrowIfNull(key);
        while (true)
        {
            if (_flights.TryGetValue(key, out Flight<T>? existing))
            {
                if (now - existing.StartedAt <= maxAge || existing.Result.IsCompleted)
                {
                    leader = false;
                    existing.AddFollower();
                    return existing;
                }

                var replacement = new Flight<T>(key, now);
                if (_flights.TryUpdate(key, replacement, existing))
                {
                    leader = true;
                    return replacement;
                }

                continue;
            }

            var flight = new Flight<T>(key, now);
            if (_flights.TryAdd(key, flight))
            {
                leader = true;
                return flight;
            }
        }
    }

    /// <summary>Ends a flight and gives its followers the result (first call wins).</summary>
    /// <param name="flight">The flight.</param>
    /// <param name="result">What to share, or <see langword="null"/> when followers must do the work themselves.</param>
    public void Complete(Flight<T> flight, T? result)
    {
        ArgumentNullException.ThrowIfNull(flight);
        Forget(flight);
        flight.SetResult(result);
    }

    /// <summary>Gives the followers a result and keeps the flight in the table, so callers arriving until <see cref="Forget"/> get it too.</summary>
    /// <param name="flight">The flight.</param>
    /// <param name="result">The result to share.</param>
    public static void Publish(Flight<T> flight, T result)
    {
        ArgumentNullException.ThrowIfNull(flight);
        ArgumentNullException.ThrowIfNull(result);
        flight.SetResult(result);
    }

    /// <summary>Removes a flight from the table, if it is still the one for its key, without completing it.</summary>
    /// <param name="flight">The flight.</param>
    public void Forget(Flight<T> flight)
    {
        ArgumentNullException.ThrowIfNull(flight);
        _flights.TryRemove(new KeyValuePair<string, Flight<T>>(flight.Key, flight));
    }
}
