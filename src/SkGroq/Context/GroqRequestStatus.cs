namespace SkGroq.Context;

/// <summary>A progress report about one request, e.g. "waiting 3.2 s for tokens/minute on llama-3.1-8b-instant".</summary>
/// <param name="Phase">Where the request is.</param>
/// <param name="Model">The model the request is for at this point.</param>
/// <param name="Message">A one-line description for people.</param>
/// <param name="Wait">How long the request is expected to wait, when known.</param>
/// <param name="Limit">The limit that binds the wait (e.g. <c>tokens/minute</c>), when known.</param>
public sealed record GroqRequestStatus(GroqRequestPhase Phase, string Model, string Message, TimeSpan? Wait = null, string? Limit = null)
{
    /// <summary>Gets why the request is retrying or falling back, in a few words (e.g. <c>503 over capacity</c>), when it is.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets what chose a retry's delay: <c>retry-after</c> (the server's word) or <c>backoff</c>; <see langword="null"/> for other phases.</summary>
    public string? DelayBasis { get; init; }
}
