using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using SkGroq.Caching;
using SkGroq.Conversations;
using SkGroq.Http;
using SkGroq.Inspection;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.Redis;
using SkGroq.Resilience;
using SkGroq.Tokens;
using SkGroq.Usage;

namespace SkGroq.Configuration;

/// <summary>Settings of the Groq connection, bound from the <c>Groq</c> configuration section.</summary>
/// <remarks>
/// Sources, later ones winning: <c>appsettings.json</c>, user secrets, a <c>.env</c> file in the working directory,
/// environment variables (<c>GROQ_API_KEY</c>, <c>GROQ_BASE_URL</c> and the others listed in <c>.env.example</c>).
/// Options are read once when the pipeline is built; change them by restarting.
/// </remarks>
public sealed class GroqOptions
{
    /// <summary>Gets or sets the Groq API key (<c>GROQ_API_KEY</c>).</summary>
    /// <value>There is no default; requests without a key fail with 401.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the OpenAI-compatible endpoint (<c>GROQ_BASE_URL</c>).</summary>
    /// <value>The default is <c>https://api.groq.com/openai/v1</c>. A bare host gets <c>/openai/v1</c> appended.</value>
    public string BaseUrl { get; set; } = GroqDefaults.BaseUrl;

    /// <summary>Gets or sets the default chat model (<c>GROQ_MODEL</c>).</summary>
    /// <value>The default is <c>llama-3.1-8b-instant</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = GroqDefaults.Model;

    /// <summary>Gets or sets the label that partitions quota and usage per Groq organization.</summary>
    /// <value>The default is a fingerprint of the API key (never the key itself).</value>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the plan of the organization, which selects the catalog's default rate limits.</summary>
    /// <value>The default is <see cref="GroqTier.Free"/>.</value>
    public GroqTier Tier { get; set; } = GroqTier.Free;

    /// <summary>Gets the fallback chain per model: when a model is over capacity, gone, or out of quota, the next one answers.</summary>
    /// <value>
    /// The default is <see cref="GroqDefaults.Fallbacks"/>: <c>llama-3.3-70b-versatile</c> → <c>llama-3.1-8b-instant</c>,
    /// <c>openai/gpt-oss-20b</c>; <c>llama-3.1-8b-instant</c> → <c>openai/gpt-oss-20b</c>. A configured chain replaces a model's
    /// default chain; <c>none</c> removes it.
    /// </value>
    public Dictionary<string, List<string>> Fallbacks { get; } = GroqDefaults.Fallbacks.ToDictionary(
        static p => p.Key, static p => p.Value.ToList(), StringComparer.Ordinal);

    /// <summary>Gets overrides and additions to the built-in model catalog, keyed by model id.</summary>
    /// <value>The default is empty: the built-in catalog applies.</value>
    public Dictionary<string, ModelOverride> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the time to establish a connection.</summary>
    /// <value>The default is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = GroqDefaults.ConnectTimeout;

    /// <summary>Gets or sets the deadline of one request when the caller sets none: queueing, retries and fallback included.</summary>
    /// <value>The default is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RequestTimeout { get; set; } = GroqDefaults.RequestTimeout;

    /// <summary>Gets or sets the User-Agent sent to Groq.</summary>
    /// <value>The default is <c>SkGroq/1.0</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string UserAgent { get; set; } = GroqDefaults.UserAgent;

    /// <summary>Gets the settings of streaming watchdogs and response inspection.</summary>
    [ValidateObjectMembers]
    public ResponseInspectionOptions Inspection { get; } = new();

    /// <summary>Gets the settings of the rate limiter and request queue.</summary>
    [ValidateObjectMembers]
    public RateLimitingOptions RateLimiting { get; } = new();

    /// <summary>Gets the settings of retries, circuit breakers and fallback.</summary>
    [ValidateObjectMembers]
    public GroqResilienceOptions Resilience { get; } = new();

    /// <summary>Gets the settings of the response cache.</summary>
    [ValidateObjectMembers]
    public ResponseCachingOptions Cache { get; } = new();

    /// <summary>Gets the settings of usage tracking and cost.</summary>
    [ValidateObjectMembers]
    public UsageTrackingOptions Usage { get; } = new();

    /// <summary>Gets the settings of token counting.</summary>
    public TokenCountingOptions Tokens { get; } = new();

    /// <summary>Gets the settings of the shared quota and response cache on Redis (used when a Redis connection string is set).</summary>
    [ValidateObjectMembers]
    public RedisOptions Redis { get; } = new();

    /// <summary>Gets the settings of conversations (history budget, summaries).</summary>
    [ValidateObjectMembers]
    public ConversationOptions Conversations { get; } = new();

    /// <summary>Gets the settings the whole pipeline shares, with the one rule for the organization label.</summary>
    /// <returns>The pipeline's settings.</returns>
    internal GroqPipelineSettings ToPipelineSettings()
    {
        string? label = string.IsNullOrWhiteSpace(Organization) ? null : Organization.Trim();

        // Never the key itself: the configured label, else a one-way fingerprint of the key.
        string? organization = label ?? (string.IsNullOrWhiteSpace(ApiKey) ? null : GroqApiKey.Fingerprint(ApiKey));
        return new GroqPipelineSettings(RequestTimeout, organization, label, Fallbacks);
    }

    /// <summary>Gets the configured values that could not be used, each with its fix; reported at start-up by validation.</summary>
    internal List<string> SettingFailures { get; } = [];
}
