namespace SkGroq.Http;

/// <summary>
/// Work that runs once when a response body ends, registered with <see cref="ResponseObservation.OnCompleted(ResponseObserver)"/>.
/// The handler's per-request state lives on the observer itself, so registering one costs no delegate, closure or list
/// while the body is read — an open stream keeps a single object per observer.
/// </summary>
internal abstract class ResponseObserver
{
    /// <summary>Gets or sets the observer registered before this one on the same observation (the observation's chain).</summary>
    internal ResponseObserver? Previous { get; set; }

    /// <summary>Runs on the thread that ended the body, before the read that ended it returns; cheap, non-blocking, never throws.</summary>
    /// <param name="outcome">How the body ended.</param>
    public abstract void OnCompleted(ResponseOutcome outcome);
}
