namespace SkGroq.Emulator.Faults;

/// <summary>When to inject a fault: for which model, how often, how many times.</summary>
/// <param name="fault">The fault to inject.</param>
public sealed class EmulatorFaultRule(EmulatorFault fault)
{
    private int _matched;
    private int _fired;

    /// <summary>Gets the fault to inject.</summary>
    public EmulatorFault Fault { get; } = fault ?? throw new ArgumentNullException(nameof(fault));

    /// <summary>Gets the model the rule applies to.</summary>
    /// <value>The default is <see langword="null"/>: every model.</value>
    public string? Model { get; init; }

    /// <summary>Gets the probability that a matching request gets the fault.</summary>
    /// <value>The default is 1.</value>
    public double Probability { get; init; } = 1;

    /// <summary>Gets N of "every Nth matching request" (1: every one).</summary>
    /// <value>The default is 1.</value>
    public int Every { get; init; } = 1;

    /// <summary>Gets how many faults the rule injects before it retires itself.</summary>
    /// <value>The default is <see langword="null"/>: no limit.</value>
    public int? Times { get; init; }

    /// <summary>Gets the id the rule got when it was added (used by <c>DELETE /_emulator/faults/{id}</c>).</summary>
    public long Id { get; internal set; }

    /// <summary>Gets how many faults the rule has injected.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Parses the rule syntax: a fault (see <see cref="EmulatorFault.Parse"/>) plus <c>;model=M</c>, <c>;probability=P</c>, <c>;every=N</c>, <c>;times=N</c>.</summary>
    /// <param name="text">E.g. <c>503;model=openai/gpt-oss-20b;probability=0.1</c>.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="FormatException">The text is not a rule.</exception>
    public static EmulatorFaultRule Parse(string text)
    {
        if (!FaultSpec.TryParse(text, out FaultSpec? spec, out string? error))
        {
            throw new FormatException(error);
        }

        return new EmulatorFaultRule(spec.Fault)
        {
            Model = spec.Model,
            Probability = spec.Probability ?? 1,
            Every = spec.Every ?? 1,
            Times = spec.Times,
        };
    }

    /// <summary>Writes the rule in its text form.</summary>
    /// <returns>E.g. <c>503;model=m;every=3</c>.</returns>
    public override string ToString()
        => string.Concat(
            Fault.ToString(),
            Model is null ? string.Empty : $";model={Model}",
            Probability >= 1 ? string.Empty : FormattableString.Invariant($";probability={Probability}"),
            Every == 1 ? string.Empty : FormattableString.Invariant($";every={Every}"),
            Times is { } t ? FormattableString.Invariant($";times={t}") : string.Empty);

    internal void Validate()
    {
        if (Probability is < 0 or > 1 || double.IsNaN(Probability))
        {
            throw new ArgumentOutOfRangeException(nameof(Probability), Probability, "A fault probability is between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Every, 1, nameof(Every));
        if (Times is { } times)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(times, 1, nameof(Times));
        }
    }

    // Called under the owner's lock.
    internal bool TryFire(string? model, Random random, out bool exhausted)
    {
        exhausted = false;
        if (Model is not null && !string.Equals(Model, model, StringComparison.Ordinal))
        {
            return false;
        }

        _matched++;
        if (_matched % Every != 0 || (Probability < 1 && random.NextDouble() >= Probability))
        {
            return false;
        }

        int fired = Interlocked.Increment(ref _fired);
        exhausted = Times is { } times && fired >= times;
        return true;
    }
}
