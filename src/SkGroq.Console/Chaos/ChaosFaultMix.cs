using System.Globalization;
using SkGroq.Emulator.Faults;

namespace SkGroq.Console.Chaos;

/// <summary>The faults of a chaos run, as emulator rules that together fire on the requested share of attempts.</summary>
internal static class ChaosFaultMix
{
    /// <summary>Gets the faults, in <c>x-emulator-fault</c> syntax; <c>{delay}</c> is replaced by <see cref="ChaosSettings.FaultDelay"/> in ms.</summary>
    public static IReadOnlyList<string> Faults { get; } =
    [
        "429",
        "498",
        "500",
        "502",
        "503",
        "reset",
        "html",
        "slow-ttft;ms={delay}",
        "stall;after=1;ms={delay}",
        "error-event;after=2;status=503",
        "disconnect;after=2",
    ];

    /// <summary>Creates the rules: each fault fires on <c>rate / count</c> of the attempts, the first that fires wins.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <returns>The rules, in the order to add them.</returns>
    /// <remarks>
    /// Rules are tried in order, so rule <c>i</c> fires with probability <c>(p/K) / (1 − i·p/K)</c>: conditional on none
    /// before it firing, which makes every fault equally likely and their sum exactly <c>p</c>. Stream-only faults
    /// (<c>error-event</c>) fire but change nothing on a JSON request, so JSON requests see slightly fewer faults.
    /// </remarks>
    public static IReadOnlyList<EmulatorFaultRule> CreateRules(ChaosSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.FaultRate <= 0)
        {
            return [];
        }

        string delay = ((long)settings.FaultDelay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        double share = settings.FaultRate / Faults.Count;
        var rules = new List<EmulatorFaultRule>(Faults.Count);
        for (int i = 0; i < Faults.Count; i++)
        {
            double probability = Math.Min(1, share / (1 - (i * share)));
            rules.Add(new EmulatorFaultRule(EmulatorFault.Parse(Faults[i].Replace("{delay}", delay, StringComparison.Ordinal))) { Probability = probability });
        }

        return rules;
    }
}
