using SkGroq.Context;
using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>One request waiting in a <see cref="QuotaQueue"/>; completes exactly once, by whoever removes it from the queue.</summary>
internal sealed class QuotaWaiter : TaskCompletionSource<QuotaLease>
{
    public QuotaWaiter(QuotaQueue queue, QuotaRequest request, GroqPriority priority, DateTimeOffset deadline, IProgress<GroqRequestStatus>? status, long enqueuedAt, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Queue = queue;
        Request = request;
        Priority = priority;
        Deadline = deadline;
        Status = status;
        EnqueuedAt = enqueuedAt;
        CancellationToken = cancellationToken;
    }

    public QuotaQueue Queue { get; }

    public QuotaRequest Request { get; }

    public GroqPriority Priority { get; }

    public DateTimeOffset Deadline { get; }

    public IProgress<GroqRequestStatus>? Status { get; }

    /// <summary>Gets the <see cref="TimeProvider.GetTimestamp"/> reading when the request joined the queue.</summary>
    public long EnqueuedAt { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Gets or sets the limit that binds the wait, as last computed (guarded by the queue's lock).</summary>
    public GroqLimitKind Binding { get; set; }

    /// <summary>Gets or sets the value of the binding limit.</summary>
    public long? BindingValue { get; set; }

    /// <summary>Gets or sets the tokens or requests asked of the binding limit.</summary>
    public long Requested { get; set; }

    /// <summary>Gets or sets when the binding limit frees, as last computed.</summary>
    public DateTimeOffset? FreesAt { get; set; }

    /// <summary>Gets or sets a value indicating whether the waiter is in its queue (guarded by the queue's lock).</summary>
    public bool InQueue { get; set; }

    public QuotaWaiter? Previous { get; set; }

    public QuotaWaiter? Next { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    public ITimer? DeadlineTimer { get; set; }

    /// <summary>Stops the cancellation and deadline callbacks once the waiter left the queue.</summary>
    public void DetachCallbacks()
    {
        // Unregister, not Dispose: Dispose would block if the callback runs right now, and it may be the caller.
        Registration.Unregister();
        DeadlineTimer?.Dispose();
    }
}
