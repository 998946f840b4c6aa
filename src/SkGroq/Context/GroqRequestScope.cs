using SkGroq.Usage;

namespace SkGroq.Context;

/// <summary>
/// An ambient scope that carries <see cref="GroqRequestOptions"/> to every request made inside it and collects the usage
/// record of each; created by <see cref="GroqRequestContext.Begin(GroqRequestOptions)"/>.
/// </summary>
/// <remarks>Scopes nest: a record is added to the innermost scope and to every enclosing one, so a conversation scope sees the records of each turn.</remarks>
public sealed class GroqRequestScope : IDisposable
{
    private readonly List<UsageRecord> _records = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    internal GroqRequestScope(GroqRequestOptions options, GroqRequestScope? parent)
    {
        Options = options;
        Parent = parent;
    }

    /// <summary>Gets the options of requests made in this scope.</summary>
    public GroqRequestOptions Options { get; }

    /// <summary>Gets the usage records of the requests completed in this scope so far, oldest first.</summary>
    public IReadOnlyList<UsageRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Gets the most recent record, or <see langword="null"/> before the first request completed.</summary>
    public UsageRecord? LastRecord
    {
        get
        {
            lock (_lock)
            {
                return _records.Count == 0 ? null : _records[^1];
            }
        }
    }

    internal GroqRequestScope? Parent { get; }

    /// <summary>Restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        GroqRequestContext.Restore(this);
    }

    internal void Add(UsageRecord record)
    {
        for (GroqRequestScope? scope = this; scope is not null; scope = scope.Parent)
        {
            lock (scope._lock)
            {
                scope._records.Add(record);
            }
        }
    }
}
