namespace SkGroq.Caching;

/// <summary>One unit of coalesced work of a <see cref="SingleFlight{T}"/>: its key, when it started, and its result.</summary>
/// <typeparam name="T">What the work produces.</typeparam>
internal sealed class Flight<T>
    where T : class
{
    private readonly TaskCompletionSource<T?> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _followers;

    /// <summary>Initializes a new instance of the <see cref="Flight{T}"/> class.</summary>
    /// <param name="key">The key.</param>
    /// <param name="startedAt">When the leader started.</param>
    public Flight(string key, DateTimeOffset startedAt)
    {
        Key = key;
        StartedAt = startedAt;
    }

    /// <summary>Gets the key.</summary>
    public string Key { get; }

    /// <summary>Gets when the leader started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets the number of callers that joined as followers.</summary>
    public int Followers => Volatile.Read(ref _followers);

    /// <summary>Gets the leader's result: what it produced, or <see langword="null"/> when it produced nothing to share. Never faults.</summary>
    public Task<T?> Result => _result.Task;

    internal void AddFollower() => Interlocked.Increment(ref _followers);

    internal void SetResult(T? result) => _result.TrySetResult(result);
}
