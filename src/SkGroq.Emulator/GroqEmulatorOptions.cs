using SkGroq.Emulator.Faults;
using SkGroq.Models;

namespace SkGroq.Emulator;

/// <summary>Settings of a <see cref="GroqEmulator"/>. Read once at start; later changes have no effect.</summary>
public sealed class GroqEmulatorOptions
{
    /// <summary>Gets or sets the address to listen on.</summary>
    /// <value>The default is <see cref="GroqEmulatorDefaults.Host"/> (loopback only).</value>
    public string Host { get; set; } = GroqEmulatorDefaults.Host;

    /// <summary>Gets or sets the TCP port.</summary>
    /// <value>The default is 0: a free port chosen by the operating system.</value>
    public int Port { get; set; }

    /// <summary>Gets the accepted API keys; each is an organization of its own (its own quotas).</summary>
    /// <value>The default is empty: when <see cref="Organizations"/> is empty too, <see cref="GroqEmulatorDefaults.ApiKey"/> is accepted.</value>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Gets organizations whose keys share quotas, with their own plan or limits.</summary>
    public IList<EmulatorOrganization> Organizations { get; } = [];

    /// <summary>Gets or sets the plan whose default limits (from SkGroq's model catalog) apply.</summary>
    /// <value>The default is <see cref="GroqTier.Free"/>.</value>
    public GroqTier Tier { get; set; } = GroqTier.Free;

    /// <summary>Gets per-model limit overrides for every organization; set values win over the catalog.</summary>
    public IDictionary<string, ModelLimits> Limits { get; } = new Dictionary<string, ModelLimits>(StringComparer.Ordinal);

    /// <summary>Gets model catalog overrides and additions (context window, completion cap, decommissioned, tokenizer, limits).</summary>
    public IDictionary<string, ModelOverride> Models { get; } = new Dictionary<string, ModelOverride>(StringComparer.Ordinal);

    /// <summary>Gets or sets a value indicating whether requests over a limit are refused with 429/413. Headers are computed either way.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EnforceRateLimits { get; set; } = true;

    /// <summary>Gets or sets the time to first token (streams) or the fixed part of the answer time (JSON).</summary>
    /// <value>The default is <see cref="GroqEmulatorDefaults.TimeToFirstToken"/>. Zero disables the wait.</value>
    public TimeSpan TimeToFirstToken { get; set; } = GroqEmulatorDefaults.TimeToFirstToken;

    /// <summary>Gets or sets the generation speed, in completion tokens per second.</summary>
    /// <value>The default is <see cref="GroqEmulatorDefaults.TokensPerSecond"/>. Zero disables pacing (benchmarks, tests).</value>
    public double TokensPerSecond { get; set; } = GroqEmulatorDefaults.TokensPerSecond;

    /// <summary>Gets or sets the shortest wait between two writes of a paced stream; tokens that fall due meanwhile are written together.</summary>
    /// <value>The default is <see cref="GroqEmulatorDefaults.PacingInterval"/>.</value>
    public TimeSpan PacingInterval { get; set; } = GroqEmulatorDefaults.PacingInterval;

    /// <summary>Gets or sets the seed of generated text, ids of scripted tool calls and probabilistic faults.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="GroqEmulatorDefaults.Seed"/> (the emulator is deterministic unless told otherwise).</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the clock of rate-limit buckets, pacing, <c>created</c> and request ids.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>. Tests pass a <c>FakeTimeProvider</c> (with zero pacing, or advance it).</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the region reported in <c>x-groq-region</c>.</summary>
    /// <value>The default is <see cref="GroqEmulatorDefaults.Region"/>.</value>
    public string Region { get; set; } = GroqEmulatorDefaults.Region;

    /// <summary>Gets the switches for UNCONFIRMED or era-dependent Groq behaviour.</summary>
    public EmulatorBehavior Behavior { get; } = new();

    /// <summary>Gets fault rules active from the start (the same rules <see cref="GroqEmulator.Faults"/> adds at run time).</summary>
    public IList<EmulatorFaultRule> Faults { get; } = [];

    /// <summary>Gets or sets the directory holding installed vocabularies (Meta's Llama 3 <c>tokenizer.model</c>); counts are exact for Llama 3 only when it is installed.</summary>
    /// <value>The default is <see langword="null"/>: SkGroq's default (<c>$XDG_CACHE_HOME/skgroq/vocab</c> or <c>~/.cache/skgroq/vocab</c>), as the client uses.</value>
    public string? VocabularyDirectory { get; set; }

    /// <summary>Gets or sets the logger factory of the emulator (request log at Debug, faults at Information).</summary>
    /// <value>The default is <see langword="null"/>: no logging.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
