namespace SkGroq.Errors;

/// <summary>One of Groq's rate-limit dimensions.</summary>
public enum GroqLimitKind
{
    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>Requests per minute (RPM).</summary>
    RequestsPerMinute,

    /// <summary>Requests per day (RPD).</summary>
    RequestsPerDay,

    /// <summary>Tokens per minute (TPM).</summary>
    TokensPerMinute,

    /// <summary>Tokens per day (TPD).</summary>
    TokensPerDay,

    /// <summary>Output tokens per minute (OTPM).</summary>
    OutputTokensPerMinute,

    /// <summary>Audio seconds per hour (ASH).</summary>
    AudioSecondsPerHour,
}
