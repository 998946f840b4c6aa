using SkGroq.Context;

namespace SkGroq.Tests.Resilience;

/// <summary>What one call through the pipeline came to: its value or error, the retry waits the pipeline took, and its status reports.</summary>
internal sealed record RunResult<T>(T? Value, Exception? Error, IReadOnlyList<TimeSpan> Delays, IReadOnlyList<GroqRequestStatus> Statuses)
{
    public TException Fails<TException>()
        where TException : Exception
        => Assert.IsType<TException>(Error ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(TException).Name}, but the call succeeded with: {Value}"));

    public T Succeeds() => Error is null ? Value! : throw new Xunit.Sdk.XunitException($"Expected success, but the call failed: {Error}");
}
