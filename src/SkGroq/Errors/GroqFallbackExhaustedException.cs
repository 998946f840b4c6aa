namespace SkGroq.Errors;

/// <summary>
/// Every model of the fallback chain failed. <see cref="Exception.Message"/> lists what each model said;
/// <see cref="Exception.InnerException"/> and <see cref="GroqException.Details"/> are those of the model the caller asked for.
/// </summary>
public sealed class GroqFallbackExhaustedException : GroqException
{
    /// <summary>Initializes a new instance of the <see cref="GroqFallbackExhaustedException"/> class.</summary>
    /// <param name="message">The user-facing message.</param>
    /// <param name="failures">Each model's failure, in the order tried; the first is the requested model's.</param>
    public GroqFallbackExhaustedException(string message, IReadOnlyList<GroqException> failures)
        : base(message, First(failures).Details, First(failures))
    {
        Failures = failures;
    }

    /// <inheritdoc />
    public override string Kind => "fallback_exhausted";

    /// <summary>Gets a value indicating whether another attempt may succeed: whether the requested model's failure was transient.</summary>
    public override bool IsTransient => Failures[0].IsTransient;

    /// <inheritdoc />
    public override TimeSpan? RetryAfter => Failures[0].RetryAfter;

    /// <summary>Gets each model's failure, in the order the models were tried (<see cref="GroqException.Model"/> says which).</summary>
    public IReadOnlyList<GroqException> Failures { get; }

    private static GroqException First(IReadOnlyList<GroqException> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentOutOfRangeException.ThrowIfZero(failures.Count);
        return failures[0];
    }
}
