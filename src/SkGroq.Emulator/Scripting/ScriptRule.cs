namespace SkGroq.Emulator.Scripting;

/// <summary>A registered scripted reply: the predicate, the reply and how often it may still answer.</summary>
public sealed class ScriptRule
{
    private int _remaining;
    private int _used;

    private readonly Func<EmulatorRequest, ScriptedReply>? _factory;

    internal ScriptRule(long id, Func<EmulatorRequest, bool> predicate, ScriptedReply reply, int? times, string description, Func<EmulatorRequest, ScriptedReply>? factory = null)
    {
        _factory = factory;
        Id = id;
        Predicate = predicate;
        Reply = reply;
        _remaining = times ?? -1;
        Description = description;
    }

    /// <summary>Gets the id of the rule.</summary>
    public long Id { get; }

    /// <summary>Gets the reply (for a rule that builds its reply from the request, an empty text; see <see cref="EmulatorScript.When(Func{EmulatorRequest, bool}, Func{EmulatorRequest, ScriptedReply}, string, int?)"/>).</summary>
    public ScriptedReply Reply { get; }

    /// <summary>Gets what the rule matches, for listings.</summary>
    public string Description { get; }

    /// <summary>Gets how many requests the rule answered.</summary>
    public int Used => Volatile.Read(ref _used);

    internal Func<EmulatorRequest, bool> Predicate { get; }

    internal ScriptedReply ReplyTo(EmulatorRequest request) => _factory?.Invoke(request) ?? Reply;

    // Called under the script's lock.
    internal bool TryUse(EmulatorRequest request, out bool exhausted)
    {
        exhausted = false;
        if (_remaining == 0 || !Predicate(request))
        {
            return false;
        }

        Interlocked.Increment(ref _used);
        if (_remaining > 0)
        {
            _remaining--;
            exhausted = _remaining == 0;
        }

        return true;
    }
}
