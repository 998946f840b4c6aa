using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using OpenAI.Chat;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Usage;

namespace SkGroq.SemanticKernel;

/// <summary>Streaming helpers over Semantic Kernel's chat completion: token-by-token delivery with time to first token, tokens/s, stall detection and usage.</summary>
public static class GroqStreamingExtensions
{
    /// <summary>
    /// Streams an answer, handing each piece of text to <paramref name="onText"/> as it arrives, and returns what the stream amounted to.
    /// The answer is not added to <paramref name="history"/>; do that with <see cref="StreamingChatResult.Text"/> if the conversation goes on.
    /// </summary>
    /// <param name="service">The chat completion service.</param>
    /// <param name="history">The conversation so far.</param>
    /// <param name="onText">Receives each piece of text, in order, as soon as it arrives.</param>
    /// <param name="settings">Execution settings (model, max tokens, temperature…).</param>
    /// <param name="kernel">The kernel, for function calling.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The result.</returns>
    public static async Task<StreamingChatResult> StreamAsync(
        this IChatCompletionService service,
        ChatHistory history,
        Action<string> onText,
        PromptExecutionSettings? settings = null,
        Kernel? kernel = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(onText);
        timeProvider ??= TimeProvider.System;

        // A private scope collects the pipeline's usage record of exactly this call (nested in the caller's scope, which sees it too).
        using GroqRequestScope scope = GroqRequestContext.Begin(GroqRequestContext.Current?.Options ?? new GroqRequestOptions());
        long start = timeProvider.GetTimestamp();
        long? firstToken = null;
        int chunks = 0;
        string? model = null;
        GroqUsage? usage = null;
        var text = new StringBuilder();

        await foreach (StreamingChatMessageContent update in service.GetStreamingChatMessageContentsAsync(history, settings, kernel, cancellationToken).ConfigureAwait(false))
        {
            model ??= update.ModelId;
            if (update.Metadata?.TryGetValue("Usage", out object? value) == true && value is ChatTokenUsage reported)
            {
                usage = ToGroqUsage(reported);
            }

            if (!string.IsNullOrEmpty(update.Content))
            {
                firstToken ??= timeProvider.GetTimestamp();
                chunks++;
                text.Append(update.Content);
                onText(update.Content);
            }
        }

        long end = timeProvider.GetTimestamp();
        UsageRecord? record = scope.LastRecord;
        usage ??= record?.Usage;
        TimeSpan? generation = firstToken is { } f ? timeProvider.GetElapsedTime(f, end) : null;
        long completion = usage?.CompletionTokens ?? chunks;
        return new StreamingChatResult
        {
            Text = text.ToString(),
            Model = record?.ModelAnswered ?? model,
            TimeToFirstToken = firstToken is { } t ? timeProvider.GetElapsedTime(start, t) : null,
            Duration = timeProvider.GetElapsedTime(start, end),
            ContentChunks = chunks,
            Usage = usage,
            TokensPerSecond = generation is { TotalSeconds: > 0 } g && completion > 0 ? completion / g.TotalSeconds : null,
            Record = record,
        };
    }

    /// <summary>Fails a stream that stays silent longer than <paramref name="idleTimeout"/> between two items, instead of hanging.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">The stream.</param>
    /// <param name="idleTimeout">The longest allowed silence.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The same items.</returns>
    /// <exception cref="GroqTimeoutException">The stream stalled.</exception>
    public static async IAsyncEnumerable<T> WithIdleTimeoutAsync<T>(
        this IAsyncEnumerable<T> source,
        TimeSpan idleTimeout,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        using CancellationTokenRegistration link = timer.Token.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), idle);
        IAsyncEnumerator<T> enumerator = source.GetAsyncEnumerator(idle.Token);
        try
        {
            while (true)
            {
                timer.CancelAfter(idleTimeout);
                bool moved;
                try
                {
                    moved = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new GroqTimeoutException(
                        $"The answer stalled: nothing arrived for {idleTimeout.TotalSeconds:0.#} s. Ask again; if it repeats, check the network or raise the idle timeout.",
                        innerException: ex)
                    {
                        TimeoutKind = GroqTimeoutKind.StreamIdle,
                        Timeout = idleTimeout,
                    };
                }

                if (!moved)
                {
                    yield break;
                }

                timer.CancelAfter(Timeout.InfiniteTimeSpan);
                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static GroqUsage ToGroqUsage(ChatTokenUsage usage) => new(usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount)
    {
        CachedTokens = usage.InputTokenDetails?.CachedTokenCount ?? 0,
        ReasoningTokens = usage.OutputTokenDetails?.ReasoningTokenCount ?? 0,
    };
}
