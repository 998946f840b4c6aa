namespace SkGroq.Emulator.Faults;

/// <summary>Fault injection at run time: rules by model, schedule and probability. A request's <c>x-emulator-fault</c> header wins over every rule.</summary>
public sealed class EmulatorFaults
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private EmulatorFaultRule[] _rules = [];
    private long _nextId;

    internal EmulatorFaults(int seed, IEnumerable<EmulatorFaultRule> initial)
    {
        _random = new Random(seed);
        foreach (EmulatorFaultRule rule in initial)
        {
            // A copy: rules count what they fire, and the same options may start several emulators.
            Add(new EmulatorFaultRule(rule.Fault) { Model = rule.Model, Probability = rule.Probability, Every = rule.Every, Times = rule.Times });
        }
    }

    /// <summary>Gets the active rules, in the order they are tried.</summary>
    public IReadOnlyList<EmulatorFaultRule> Rules => Volatile.Read(ref _rules);

    /// <summary>Adds a rule; rules are tried in the order added and the first that fires wins.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The rule, with its <see cref="EmulatorFaultRule.Id"/> set.</returns>
    public EmulatorFaultRule Add(EmulatorFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_gate)
        {
            rule.Id = ++_nextId;
            _rules = [.. _rules, rule];
        }

        return rule;
    }

    /// <summary>Injects a fault into the next <paramref name="times"/> matching requests.</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="model">The model, or <see langword="null"/> for any.</param>
    /// <param name="times">How many requests get it.</param>
    /// <returns>The rule.</returns>
    public EmulatorFaultRule Next(EmulatorFault fault, string? model = null, int times = 1)
        => Add(new EmulatorFaultRule(fault) { Model = model, Times = times });

    /// <summary>Injects a fault into every matching request until the rule is removed (e.g. "model X answers 503").</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="model">The model, or <see langword="null"/> for any.</param>
    /// <returns>The rule.</returns>
    public EmulatorFaultRule Always(EmulatorFault fault, string? model = null)
        => Add(new EmulatorFaultRule(fault) { Model = model });

    /// <summary>Injects a fault into matching requests with a probability (drawn from the emulator's seeded generator).</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="probability">0 to 1.</param>
    /// <param name="model">The model, or <see langword="null"/> for any.</param>
    /// <returns>The rule.</returns>
    public EmulatorFaultRule WithProbability(EmulatorFault fault, double probability, string? model = null)
        => Add(new EmulatorFaultRule(fault) { Model = model, Probability = probability });

    /// <summary>Injects a fault into every Nth matching request.</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="n">N (1: every request).</param>
    /// <param name="model">The model, or <see langword="null"/> for any.</param>
    /// <returns>The rule.</returns>
    public EmulatorFaultRule EveryNth(EmulatorFault fault, int n, string? model = null)
        => Add(new EmulatorFaultRule(fault) { Model = model, Every = n });

    /// <summary>Removes a rule.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns><see langword="true"/> when it was active.</returns>
    public bool Remove(EmulatorFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Remove(rule.Id);
    }

    /// <summary>Removes a rule by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns><see langword="true"/> when it was active.</returns>
    public bool Remove(long id)
    {
        lock (_gate)
        {
            int before = _rules.Length;
            _rules = Array.FindAll(_rules, r => r.Id != id);
            return _rules.Length != before;
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules = [];
        }
    }

    internal EmulatorFault? Resolve(string? model)
    {
        if (Volatile.Read(ref _rules).Length == 0)
        {
            return null;
        }

        lock (_gate)
        {
            foreach (EmulatorFaultRule rule in _rules)
            {
                if (rule.TryFire(model, _random, out bool exhausted))
                {
                    if (exhausted)
                    {
                        _rules = Array.FindAll(_rules, r => r.Id != rule.Id);
                    }

                    return rule.Fault;
                }
            }
        }

        return null;
    }
}
