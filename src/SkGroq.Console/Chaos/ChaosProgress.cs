namespace SkGroq.Console.Chaos;

/// <summary>Where a chaos run is.</summary>
/// <param name="Completed">Requests finished (either way).</param>
/// <param name="Total">Requests in the run.</param>
/// <param name="Failed">Requests that ended with a typed error so far.</param>
/// <param name="Violations">Hangs, late or untyped endings so far.</param>
internal sealed record ChaosProgress(int Completed, int Total, int Failed, int Violations);
