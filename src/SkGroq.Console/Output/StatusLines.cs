using SkGroq.Context;

namespace SkGroq.Console.Output;

/// <summary>Prints each progress report of a request as a status line, at once, and remembers why the request fell back to another model.</summary>
internal sealed class StatusLines(HarnessOutput output) : IProgress<GroqRequestStatus>
{
    /// <summary>Gets why the request left the model asked for (e.g. <c>503 over capacity</c>); <see langword="null"/> without fallback.</summary>
    public string? FallbackReason { get; private set; }

    /// <inheritdoc />
    public void Report(GroqRequestStatus value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Phase == GroqRequestPhase.FallingBack)
        {
            FallbackReason ??= value.Reason;
        }

        output.Status(value.Message);
    }
}
