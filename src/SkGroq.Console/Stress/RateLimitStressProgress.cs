namespace SkGroq.Console.Stress;

/// <summary>Where a stress run is: requests finished so far and the latest queue status ("waiting 3.2 s for tokens/minute on …").</summary>
/// <param name="Completed">Requests finished (either way).</param>
/// <param name="Total">Requests in the run.</param>
/// <param name="Failed">Requests that failed so far.</param>
/// <param name="Status">The latest queue status, when a request is waiting.</param>
internal sealed record RateLimitStressProgress(int Completed, int Total, int Failed, string? Status);
