using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using SkGroq.Context;
using SkGroq.Usage;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace SkGroq.ChatClient;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> on Groq: the OpenAI SDK's chat client over the <c>groq</c> HttpClient
/// pipeline (the same limiter, queue, retries, fallback, cache and usage ledger as the Semantic Kernel path), with SkGroq's
/// per-request options and Groq's own parameters read from <see cref="ChatOptions.AdditionalProperties"/>
/// (<see cref="GroqChatOptionKeys"/>).
/// </summary>
/// <remarks>
/// Failures surface as the library's typed <see cref="Errors.GroqException"/>s. Each response carries Groq's exact usage
/// (cached and reasoning tokens included; in a stream once, although Groq sends it on two chunks) and, in <see cref="ChatResponse.AdditionalProperties"/>, the request id, whether
/// the cache answered and the model a fallback replaced.
/// </remarks>
internal sealed class GroqChatClient : DelegatingChatClient
{
    /// <summary>Initializes a new instance of the <see cref="GroqChatClient"/> class.</summary>
    /// <param name="innerClient">The OpenAI SDK's chat client (<c>AsIChatClient()</c>) whose transport is the <c>groq</c> pipeline.</param>
    public GroqChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<MeaiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using GroqRequestScope scope = GroqRequestContext.Begin(RequestOptions(options));
        ChatResponse response = await base.GetResponseAsync(messages, WithGroqParameters(options), cancellationToken).ConfigureAwait(false);
        Describe(response.AdditionalProperties ??= [], scope.LastRecord);
        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<MeaiChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using GroqRequestScope scope = GroqRequestContext.Begin(RequestOptions(options));
        ChatResponseUpdate? last = null;
        bool usageSeen = false;
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, WithGroqParameters(options), cancellationToken).ConfigureAwait(false))
        {
            // Groq puts the same usage on the finish chunk and on the include_usage chunk after it; counted once, as billed.
            if (update.Contents.Any(c => c is UsageContent))
            {
                if (usageSeen)
                {
                    update.Contents = update.Contents.Where(c => c is not UsageContent).ToList();
                }

                usageSeen = true;
            }

            if (last is not null)
            {
                yield return last;
            }

            last = update;
        }

        if (last is not null)
        {
            // The stream has ended, so the usage record is written: the last update carries what it says.
            Describe(last.AdditionalProperties ??= [], scope.LastRecord);
            yield return last;
        }
    }

    internal static GroqRequestOptions RequestOptions(ChatOptions? options)
    {
        GroqRequestOptions outer = GroqRequestContext.Current?.Options ?? new GroqRequestOptions();
        AdditionalPropertiesDictionary? properties = options?.AdditionalProperties;
        return outer with
        {
            Priority = Enum<GroqPriority>(properties, GroqChatOptionKeys.Priority) ?? outer.Priority,
            Cache = Enum<GroqCacheMode>(properties, GroqChatOptionKeys.Cache) ?? outer.Cache,
            TenantId = Text(properties, GroqChatOptionKeys.Tenant) ?? outer.TenantId,
            Feature = Text(properties, GroqChatOptionKeys.Feature) ?? outer.Feature,
            ConversationId = Text(properties, GroqChatOptionKeys.Conversation) ?? options?.ConversationId ?? outer.ConversationId,
            Timeout = Duration(properties, GroqChatOptionKeys.Timeout) ?? outer.Timeout,
        };
    }

    private static ChatOptions? WithGroqParameters(ChatOptions? options)
    {
        AdditionalPropertiesDictionary? properties = options?.AdditionalProperties;
        string? effort = Text(properties, GroqChatOptionKeys.ReasoningEffort);
        string? format = Text(properties, GroqChatOptionKeys.ReasoningFormat);
        string? tier = Text(properties, GroqChatOptionKeys.ServiceTier);
        if (effort is null && format is null && tier is null)
        {
            return options;
        }

        ChatOptions copy = options!.Clone();
        Func<IChatClient, object?>? earlier = options.RawRepresentationFactory;
        copy.RawRepresentationFactory = client =>
        {
            ChatCompletionOptions raw = earlier?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch: the SDK's way to send a property its model does not have.
            if (effort is not null)
            {
                raw.Patch.Set("$.reasoning_effort"u8, JsonSerializer.SerializeToUtf8Bytes(effort));
            }

            if (format is not null)
            {
                raw.Patch.Set("$.reasoning_format"u8, JsonSerializer.SerializeToUtf8Bytes(format));
            }

            if (tier is not null)
            {
                raw.Patch.Set("$.service_tier"u8, JsonSerializer.SerializeToUtf8Bytes(tier));
            }
#pragma warning restore SCME0001
            return raw;
        };
        return copy;
    }

    private static void Describe(AdditionalPropertiesDictionary properties, UsageRecord? record)
    {
        if (record is null)
        {
            return;
        }

        if (record.RequestId is { } id)
        {
            properties[GroqChatOptionKeys.RequestId] = id;
        }

        properties[GroqChatOptionKeys.CacheHit] = record.CacheHit;
        if (record.ModelAnswered is { } answered && !string.Equals(answered, record.ModelRequested, StringComparison.Ordinal))
        {
            properties[GroqChatOptionKeys.FallbackFrom] = record.ModelRequested;
        }
    }

    private static string? Text(AdditionalPropertiesDictionary? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out object? value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    private static T? Enum<T>(AdditionalPropertiesDictionary? properties, string key)
        where T : struct, System.Enum
    {
        if (properties is null || !properties.TryGetValue(key, out object? value) || value is null)
        {
            return null;
        }

        return value switch
        {
            T typed => typed,
            string name when System.Enum.TryParse(name, ignoreCase: true, out T parsed) && System.Enum.IsDefined(parsed) => parsed,
            _ => throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] = '{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.", nameof(properties)),
        };
    }

    private static TimeSpan? Duration(AdditionalPropertiesDictionary? properties, string key)
    {
        if (properties is null || !properties.TryGetValue(key, out object? value) || value is null)
        {
            return null;
        }

        return value is TimeSpan span && span > TimeSpan.Zero
            ? span
            : throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] must be a positive TimeSpan (got '{value}').", nameof(properties));
    }
}
