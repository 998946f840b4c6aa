using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace SkGroq.Emulator.Faults;

/// <summary>One fault to inject, e.g. <c>503</c>, <c>stall;after=3;ms=5000</c> or <c>error-event;status=429</c>.</summary>
/// <param name="Kind">What the fault does.</param>
public sealed record EmulatorFault(EmulatorFaultKind Kind)
{
    /// <summary>Gets how long a <see cref="EmulatorFaultKind.Stall"/> or <see cref="EmulatorFaultKind.SlowFirstToken"/> lasts.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="GroqEmulatorDefaults.StallDuration"/> or <see cref="GroqEmulatorDefaults.SlowFirstTokenDelay"/>.</value>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets how many content chunks a mid-stream fault lets through first.</summary>
    /// <value>The default is 1.</value>
    public int AfterChunks { get; init; } = 1;

    /// <summary>Gets the status a mid-stream error frame reports in <c>status_code</c> (400 gives the recorded <c>tool_use_failed</c> frame, 429 a rate-limit error, 503 over capacity).</summary>
    /// <value>The default is <see langword="null"/>: 500 <c>internal_server_error</c>.</value>
    public int? StatusCode { get; init; }

    /// <summary>Gets a value indicating whether the fault happens after the response headers (only streams are affected by most of these).</summary>
    public bool IsMidStream => Kind is EmulatorFaultKind.Stall or EmulatorFaultKind.StreamErrorEvent or EmulatorFaultKind.StreamErrorData
        or EmulatorFaultKind.StreamXGroqError or EmulatorFaultKind.StreamDisconnect;

    /// <summary>Parses the <c>x-emulator-fault</c> syntax: <c>kind[;after=N][;ms=N|seconds=N][;status=N]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="FormatException">The text is not a fault.</exception>
    public static EmulatorFault Parse(string text)
        => TryParse(text, out EmulatorFault? fault, out string? error) ? fault : throw new FormatException(error);

    /// <summary>Parses the <c>x-emulator-fault</c> syntax.</summary>
    /// <param name="text">The text.</param>
    /// <param name="fault">The fault.</param>
    /// <param name="error">What is wrong, when parsing fails.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out EmulatorFault? fault, [NotNullWhen(false)] out string? error)
    {
        fault = null;
        if (!FaultSpec.TryParse(text, out FaultSpec? spec, out error))
        {
            return false;
        }

        if (spec.Probability is not null || spec.Every is not null || spec.Times is not null || spec.Model is not null)
        {
            error = $"'{text}' has scheduling parameters (model, probability, every, times); a single fault takes only after, ms, seconds and status.";
            return false;
        }

        fault = spec.Fault;
        return true;
    }

    /// <summary>Gets the header spelling of a kind, e.g. <c>503</c> or <c>error-event</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name.</returns>
    public static string NameOf(EmulatorFaultKind kind) => kind switch
    {
        EmulatorFaultKind.InternalServerError => "500",
        EmulatorFaultKind.BadGateway => "502",
        EmulatorFaultKind.ServiceUnavailable => "503",
        EmulatorFaultKind.CapacityExceeded => "498",
        EmulatorFaultKind.RateLimitNoRetry => "429",
        EmulatorFaultKind.RateLimitTokensPerMinute => "429-tpm",
        EmulatorFaultKind.ConnectionReset => "reset",
        EmulatorFaultKind.HtmlErrorPage => "html",
        EmulatorFaultKind.SlowFirstToken => "slow-ttft",
        EmulatorFaultKind.Stall => "stall",
        EmulatorFaultKind.StreamErrorEvent => "error-event",
        EmulatorFaultKind.StreamErrorData => "error-data",
        EmulatorFaultKind.StreamXGroqError => "x-groq-error",
        EmulatorFaultKind.StreamDisconnect => "disconnect",
        EmulatorFaultKind.PermissionDenied => "403",
        EmulatorFaultKind.UnprocessableEntity => "422",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown fault kind."),
    };

    /// <summary>Looks a kind up by its header spelling.</summary>
    /// <param name="name">The name, e.g. <c>503</c>.</param>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryGetKind(ReadOnlySpan<char> name, out EmulatorFaultKind kind)
    {
        foreach (EmulatorFaultKind candidate in Enum.GetValues<EmulatorFaultKind>())
        {
            if (name.Equals(NameOf(candidate), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Writes the fault in the header syntax.</summary>
    /// <returns>E.g. <c>stall;after=2;ms=5000</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(NameOf(Kind));
        if (AfterChunks != 1)
        {
            text.Append(CultureInfo.InvariantCulture, $";after={AfterChunks}");
        }

        if (Duration is { } duration)
        {
            text.Append(CultureInfo.InvariantCulture, $";ms={(long)duration.TotalMilliseconds}");
        }

        if (StatusCode is { } status)
        {
            text.Append(CultureInfo.InvariantCulture, $";status={status}");
        }

        return text.ToString();
    }
}
