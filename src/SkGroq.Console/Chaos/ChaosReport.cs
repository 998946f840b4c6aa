namespace SkGroq.Console.Chaos;

/// <summary>The outcome of <c>bench chaos</c> (snake_case in JSON).</summary>
/// <param name="Requests">Requests made.</param>
/// <param name="Streaming">How many of them streamed.</param>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="FaultRate">The share of attempts the emulator was asked to fault.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Succeeded">Requests that got their whole answer.</param>
/// <param name="Failed">Requests that ended with a typed <c>GroqException</c>.</param>
/// <param name="FailuresByKind">Typed failures by <c>GroqException.Kind</c>.</param>
/// <param name="ErrorExamples">The first message of each kind of typed failure: what a caller saw.</param>
/// <param name="Hangs">Requests the watchdog had to cancel (must be 0).</param>
/// <param name="Late">Requests that ended after their bound plus the tolerance (must be 0).</param>
/// <param name="Untyped">Requests that ended with an exception other than <c>GroqException</c> (must be 0).</param>
/// <param name="UnobservedTaskExceptions">Exceptions <c>TaskScheduler.UnobservedTaskException</c> reported during the run (must be 0).</param>
/// <param name="Samples">Up to ten examples of what went wrong.</param>
/// <param name="DeadlineMs">Each request's deadline.</param>
/// <param name="BoundMs">The latest a request may end (deadline + stream idle timeout).</param>
/// <param name="LatencyMs">How long requests took.</param>
/// <param name="ElapsedSeconds">The run's duration.</param>
/// <param name="FaultsSent">Faults the emulator actually sent, by kind.</param>
/// <param name="Ledger">The usage ledger against the emulator's accounting.</param>
/// <param name="Violations">Everything that broke a guarantee, one sentence each; empty when the run passed.</param>
internal sealed record ChaosReport(
    int Requests,
    int Streaming,
    int Concurrency,
    double FaultRate,
    int Seed,
    int Succeeded,
    int Failed,
    IReadOnlyDictionary<string, int> FailuresByKind,
    IReadOnlyDictionary<string, string> ErrorExamples,
    int Hangs,
    int Late,
    int Untyped,
    long UnobservedTaskExceptions,
    IReadOnlyList<string> Samples,
    double DeadlineMs,
    double BoundMs,
    ChaosLatency LatencyMs,
    double ElapsedSeconds,
    IReadOnlyDictionary<string, long> FaultsSent,
    ChaosLedgerCheck Ledger,
    IReadOnlyList<string> Violations)
{
    /// <summary>Gets a value indicating whether every guarantee held.</summary>
    public bool Passed => Violations.Count == 0;
}
