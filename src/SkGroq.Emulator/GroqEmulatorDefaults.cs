namespace SkGroq.Emulator;

/// <summary>Default values of <see cref="GroqEmulatorOptions"/>.</summary>
public static class GroqEmulatorDefaults
{
    /// <summary>The API key accepted when none is configured (a fake, shaped like Groq's <c>gsk_…</c> keys).</summary>
    public const string ApiKey = "gsk_emulator0000000000000000000000000000000000000000000000";

    /// <summary>The loopback address the emulator listens on.</summary>
    public const string Host = "127.0.0.1";

    /// <summary>The region reported in <c>x-groq-region</c> (Groq reports a three-letter POP such as <c>fra</c>).</summary>
    public const string Region = "emu";

    /// <summary>The tokens per second a paced answer is generated at.</summary>
    public const double TokensPerSecond = 500;

    /// <summary>The seed of generated text when none is configured.</summary>
    public const int Seed = 0;

    /// <summary>The request header that injects a fault into one request, e.g. <c>x-emulator-fault: 503</c>.</summary>
    public const string FaultHeader = "x-emulator-fault";

    /// <summary>The path prefix of the control endpoints.</summary>
    public const string ControlPrefix = "/_emulator";

    /// <summary>The path prefix of Groq's OpenAI-compatible API.</summary>
    public const string ApiPrefix = "/openai/v1";

    /// <summary>The time to first token.</summary>
    public static readonly TimeSpan TimeToFirstToken = TimeSpan.FromMilliseconds(100);

    /// <summary>The shortest wait between two writes of a paced stream (tokens due meanwhile are sent together).</summary>
    public static readonly TimeSpan PacingInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>The default length of a <c>stall</c> fault.</summary>
    public static readonly TimeSpan StallDuration = TimeSpan.FromSeconds(10);

    /// <summary>The default extra delay of a <c>slow-ttft</c> fault.</summary>
    public static readonly TimeSpan SlowFirstTokenDelay = TimeSpan.FromSeconds(5);
}
