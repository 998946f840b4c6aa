using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Chat;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.RateLimits;
using SkGroq.Emulator.Scripting;
using SkGroq.Emulator.Tokens;
using SkGroq.Emulator.Wire;
using SkGroq.Models;

namespace SkGroq.Emulator.Hosting;

/// <summary>Everything a running emulator shares between requests.</summary>
internal sealed class EmulatorState
{
    private int _inFlight;

    private readonly ConcurrentDictionary<string, string> _fingerprints = new(StringComparer.Ordinal);

    public EmulatorState(GroqEmulatorOptions options, IEmulatorTokenizer? tokenizer = null)
    {
        Options = options;
        Behavior = options.Behavior;
        Time = options.TimeProvider;
        Seed = options.Seed ?? GroqEmulatorDefaults.Seed;
        Catalog = new ModelCatalog(options.Tier, options.Models.Count == 0 ? null : new Dictionary<string, ModelOverride>(options.Models, StringComparer.Ordinal));
        Keys = new KeyDirectory(options);
        Limiter = new RateLimiter(new Dictionary<string, ModelLimits>(options.Limits, StringComparer.Ordinal), Time);
        Script = new EmulatorScript();
        Faults = new EmulatorFaults(Seed, options.Faults);
        Accounting = new EmulatorAccounting();
        Tokenizer = tokenizer ?? new SkGroqTokenizer(Catalog, options.VocabularyDirectory);
        Generator = new TextGenerator();
        Planner = new ReplyPlanner(Tokenizer, Generator, Behavior.LegacyToolCallIds);
        Logger = options.LoggerFactory?.CreateLogger("SkGroq.Emulator") ?? NullLogger.Instance;
    }

    public GroqEmulatorOptions Options { get; }

    public EmulatorBehavior Behavior { get; }

    public TimeProvider Time { get; }

    public int Seed { get; }

    public ModelCatalog Catalog { get; }

    public KeyDirectory Keys { get; }

    public RateLimiter Limiter { get; }

    public EmulatorScript Script { get; }

    public EmulatorFaults Faults { get; }

    public EmulatorAccounting Accounting { get; }

    /// <summary>Gets the chat completion calls being answered right now (a stream counts until its last byte or its abort).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void EnterCall() => Interlocked.Increment(ref _inFlight);

    public void ExitCall() => Interlocked.Decrement(ref _inFlight);

    public IEmulatorTokenizer Tokenizer { get; }

    public TextGenerator Generator { get; }

    public ReplyPlanner Planner { get; }

    public ILogger Logger { get; }

    /// <summary>Gets the <c>system_fingerprint</c> of a model: stable for the life of the emulator, like a deployment's.</summary>
    public string FingerprintOf(string model) => _fingerprints.GetOrAdd(model, static (m, seed) => Ids.Fingerprint(m, seed), Seed);
}
