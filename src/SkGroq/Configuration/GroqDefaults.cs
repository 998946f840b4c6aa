using System.Collections.Frozen;

namespace SkGroq.Configuration;

/// <summary>Default values of <see cref="GroqOptions"/>.</summary>
public static class GroqDefaults
{
    /// <summary>The name of the configuration section bound to <see cref="GroqOptions"/>.</summary>
    public const string SectionName = "Groq";

    /// <summary>Groq's OpenAI-compatible endpoint.</summary>
    public const string BaseUrl = "https://api.groq.com/openai/v1";

    /// <summary>The default chat model.</summary>
    public const string Model = "llama-3.1-8b-instant";

    /// <summary>The name of the <see cref="HttpClient"/> registered by <c>AddGroq</c>.</summary>
    public const string HttpClientName = "groq";

    /// <summary>The User-Agent product sent with every request (Groq's front door blocks some default agents).</summary>
    public const string UserAgent = "SkGroq/1.0";

    /// <summary>Default time to establish a TCP/TLS connection.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default deadline of one request, queueing and retries included.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a pooled connection is reused before it is replaced (DNS changes are picked up).</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The fallback chains that apply unless configuration replaces them (<c>Groq:Fallbacks:&lt;model&gt;</c>).</summary>
    public static readonly FrozenDictionary<string, string[]> Fallbacks = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["llama-3.3-70b-versatile"] = ["llama-3.1-8b-instant", "openai/gpt-oss-20b"],
        ["llama-3.1-8b-instant"] = ["openai/gpt-oss-20b"],
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
