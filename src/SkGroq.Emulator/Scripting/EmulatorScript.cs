namespace SkGroq.Emulator.Scripting;

/// <summary>Canned replies for requests matching a predicate; the first matching rule (in the order added) answers, otherwise text is generated.</summary>
public sealed class EmulatorScript
{
    private readonly Lock _gate = new();
    private ScriptRule[] _rules = [];
    private long _nextId;

    internal EmulatorScript()
    {
    }

    /// <summary>Gets the active rules.</summary>
    public IReadOnlyList<ScriptRule> Rules => Volatile.Read(ref _rules);

    internal bool IsEmpty => Volatile.Read(ref _rules).Length == 0;

    /// <summary>Answers requests matching <paramref name="predicate"/> with <paramref name="reply"/>.</summary>
    /// <param name="predicate">The condition, e.g. <c>r =&gt; r.HasToolResults</c>. Runs on the request thread; keep it fast and side-effect free.</param>
    /// <param name="reply">The reply.</param>
    /// <param name="times">How many requests it answers; <see langword="null"/> for no limit.</param>
    /// <returns>The rule.</returns>
    public ScriptRule When(Func<EmulatorRequest, bool> predicate, ScriptedReply reply, int? times = null)
        => Add(predicate, reply, times, "predicate");

    /// <summary>Answers requests matching <paramref name="predicate"/> with a reply built from the request (e.g. a tool call carrying the user's question).</summary>
    /// <param name="predicate">The condition. Runs on the request thread; keep it fast and side-effect free.</param>
    /// <param name="reply">Builds the reply from the matching request.</param>
    /// <param name="description">What the rule matches, for listings.</param>
    /// <param name="times">How many requests it answers; <see langword="null"/> for no limit.</param>
    /// <returns>The rule.</returns>
    public ScriptRule When(Func<EmulatorRequest, bool> predicate, Func<EmulatorRequest, ScriptedReply> reply, string description, int? times = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return Add(predicate, ScriptedReply.Text(string.Empty), times, description, reply);
    }

    /// <summary>Answers requests whose last user message contains <paramref name="text"/> (ordinal, case-insensitive).</summary>
    /// <param name="text">The text to look for.</param>
    /// <param name="reply">The reply.</param>
    /// <param name="times">How many requests it answers; <see langword="null"/> for no limit.</param>
    /// <returns>The rule.</returns>
    public ScriptRule WhenLastUserMessageContains(string text, ScriptedReply reply, int? times = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return Add(r => r.LastUserMessage?.Contains(text, StringComparison.OrdinalIgnoreCase) == true, reply, times, $"last user message contains \"{text}\"");
    }

    /// <summary>Answers every request with <paramref name="reply"/>.</summary>
    /// <param name="reply">The reply.</param>
    /// <param name="times">How many requests it answers; <see langword="null"/> for no limit.</param>
    /// <returns>The rule.</returns>
    public ScriptRule Always(ScriptedReply reply, int? times = null) => Add(static _ => true, reply, times, "every request");

    /// <summary>Removes a rule.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns><see langword="true"/> when it was active.</returns>
    public bool Remove(ScriptRule rule)
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
            return before != _rules.Length;
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

    internal ScriptedReply? Match(EmulatorRequest request)
    {
        lock (_gate)
        {
            foreach (ScriptRule rule in _rules)
            {
                if (rule.TryUse(request, out bool exhausted))
                {
                    if (exhausted)
                    {
                        _rules = Array.FindAll(_rules, r => r.Id != rule.Id);
                    }

                    return rule.ReplyTo(request);
                }
            }
        }

        return null;
    }

    private ScriptRule Add(Func<EmulatorRequest, bool> predicate, ScriptedReply reply, int? times, string description, Func<EmulatorRequest, ScriptedReply>? factory = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(reply);
        if (times is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(times));
        }

        lock (_gate)
        {
            var rule = new ScriptRule(++_nextId, predicate, reply, times, description, factory);
            _rules = [.. _rules, rule];
            return rule;
        }
    }
}
