namespace SkGroq.ChatClient;

/// <summary>
/// Keys of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> that the Groq <c>IChatClient</c> reads:
/// SkGroq's per-request options, and Groq's own request parameters.
/// </summary>
public static class GroqChatOptionKeys
{
    /// <summary>The request's priority in the queue: a <see cref="Context.GroqPriority"/> or its name (<c>Interactive</c>, <c>Background</c>).</summary>
    public const string Priority = "skgroq.priority";

    /// <summary>How the response cache treats the request: a <see cref="Context.GroqCacheMode"/> or its name (<c>Default</c>, <c>Enabled</c>, <c>Disabled</c>, <c>Refresh</c>).</summary>
    public const string Cache = "skgroq.cache";

    /// <summary>The tenant the usage record is tagged with (a string).</summary>
    public const string Tenant = "skgroq.tenant";

    /// <summary>The feature the usage record is tagged with (a string).</summary>
    public const string Feature = "skgroq.feature";

    /// <summary>The conversation the usage record is tagged with (a string; default: <see cref="Microsoft.Extensions.AI.ChatOptions.ConversationId"/>).</summary>
    public const string Conversation = "skgroq.conversation";

    /// <summary>The request's deadline, queue wait and retries included: a <see cref="TimeSpan"/>.</summary>
    public const string Timeout = "skgroq.timeout";

    /// <summary>Groq's <c>reasoning_effort</c> (e.g. <c>low</c>, <c>medium</c>, <c>high</c>, <c>none</c>, <c>default</c>).</summary>
    public const string ReasoningEffort = "reasoning_effort";

    /// <summary>Groq's <c>reasoning_format</c> (<c>parsed</c>, <c>raw</c>, <c>hidden</c>).</summary>
    public const string ReasoningFormat = "reasoning_format";

    /// <summary>Groq's <c>service_tier</c> (<c>on_demand</c>, <c>flex</c>, <c>auto</c>).</summary>
    public const string ServiceTier = "service_tier";

    /// <summary>On a response: the request id Groq gave the answer (<c>x-request-id</c>).</summary>
    public const string RequestId = "skgroq.request_id";

    /// <summary>On a response: the model that answered, when a fallback answered instead of the one asked for.</summary>
    public const string FallbackFrom = "skgroq.fallback_from";

    /// <summary>On a response: <see langword="true"/> when the response cache answered.</summary>
    public const string CacheHit = "skgroq.cache_hit";
}
