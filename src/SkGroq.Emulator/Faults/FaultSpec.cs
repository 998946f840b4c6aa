using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SkGroq.Emulator.Faults;

/// <summary>The parsed text form of a fault or fault rule: <c>kind[;after=N][;ms=N|seconds=N][;status=N][;model=M][;probability=P][;every=N][;times=N]</c>.</summary>
internal sealed record FaultSpec(EmulatorFault Fault, string? Model, double? Probability, int? Every, int? Times)
{
    public const string Syntax = "kind[;after=N][;ms=N|seconds=N][;status=N] with kind one of 500, 502, 503, 498, 429, reset, html, slow-ttft, stall, error-event, error-data, x-groq-error, disconnect";

    public static bool TryParse(string? text, [NotNullWhen(true)] out FaultSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"The fault is empty. Expected {Syntax}.";
            return false;
        }

        string[] parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !EmulatorFault.TryGetKind(parts[0], out EmulatorFaultKind kind))
        {
            error = $"'{text}' is not a fault. Expected {Syntax}.";
            return false;
        }

        var fault = new EmulatorFault(kind);
        string? model = null;
        double? probability = null;
        int? every = null;
        int? times = null;
        for (int i = 1; i < parts.Length; i++)
        {
            int equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? parts[i] : parts[i][..equals].Trim();
            string value = equals < 0 ? string.Empty : parts[i][(equals + 1)..].Trim();
            bool ok = key.ToLowerInvariant() switch
            {
                "after" => TryInt(value, 0, out int after) && Set(ref fault, fault with { AfterChunks = after }),
                "ms" => TryInt(value, 0, out int ms) && Set(ref fault, fault with { Duration = TimeSpan.FromMilliseconds(ms) }),
                "seconds" or "s" => TryDouble(value, out double seconds) && seconds >= 0 && Set(ref fault, fault with { Duration = TimeSpan.FromSeconds(seconds) }),
                "status" => TryInt(value, 100, out int status) && status <= 599 && Set(ref fault, fault with { StatusCode = status }),
                "model" => value.Length > 0 && Assign(ref model, value),
                "probability" or "p" => TryDouble(value, out double p) && p is >= 0 and <= 1 && Assign(ref probability, p),
                "every" => TryInt(value, 1, out int n) && Assign(ref every, n),
                "times" => TryInt(value, 1, out int t) && Assign(ref times, t),
                _ => false,
            };

            if (!ok)
            {
                error = $"'{parts[i]}' in fault '{text}' is not valid. Expected {Syntax}; rules may add model=M, probability=0..1, every=N, times=N.";
                return false;
            }
        }

        spec = new FaultSpec(fault, model, probability, every, times);
        error = null;
        return true;
    }

    private static bool TryInt(string value, int minimum, out int result)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= minimum;

    private static bool TryDouble(string value, out double result)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result);

    private static bool Set(ref EmulatorFault target, EmulatorFault value)
    {
        target = value;
        return true;
    }

    private static bool Assign<T>(ref T target, T value)
    {
        target = value;
        return true;
    }
}
