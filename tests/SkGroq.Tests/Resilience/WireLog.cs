namespace SkGroq.Tests.Resilience;

/// <summary>The attempts a <see cref="WireTap"/> saw, in order.</summary>
internal sealed class WireLog
{
    private readonly Lock _gate = new();
    private readonly List<WireAttempt> _attempts = [];

    public IReadOnlyList<WireAttempt> Attempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    public void Add(WireAttempt attempt)
    {
        lock (_gate)
        {
            _attempts.Add(attempt);
        }
    }
}
