using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Usage;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;

namespace SkGroq.Console.Stress;

/// <summary>
/// Fires a mix of chat completions through Semantic Kernel and the SkGroq pipeline at a fixed concurrency and reports how the
/// rate limiter coped: failures by kind, server 429s, retries, queue waits and the tokens per minute achieved.
/// </summary>
/// <remarks>
/// The mix is deterministic for a seed: prompt lengths, max tokens, one request in three streamed, one in four background.
/// Every request runs in its own ambient scope with the run's deadline, so waiting in the queue is expected, not an error.
/// </remarks>
internal sealed class RateLimitStressRunner(IChatCompletionService chat, TimeProvider timeProvider, object? meterScope)
{
    private static readonly string[] s_words =
        ["quota", "bucket", "token", "minute", "limit", "request", "queue", "model", "answer", "latency", "stream", "window", "refill", "burst", "budget"];

    private int _started;
    private int _completed;
    private int _retryWaiting;
    private int _failed;
    private int _total;

    /// <summary>Gets or sets the receiver of progress reports; called on the request's own flow, so it must be quick.</summary>
    public IProgress<RateLimitStressProgress>? Progress { get; init; }

    /// <summary>Gets the requests started and not finished yet (sent, or waiting for quota).</summary>
    public int Outstanding => Volatile.Read(ref _started) - Volatile.Read(ref _completed);

    /// <summary>Gets the requests waiting out a retry delay (after a failed attempt, before the next one joins the queue).</summary>
    public int RetryWaiting => Volatile.Read(ref _retryWaiting);

    /// <summary>Runs the requests.</summary>
    /// <param name="settings">What to send.</param>
    /// <param name="tpmLimit">The model's tokens/minute limit, for the report.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The report.</returns>
    public async Task<RateLimitStressReport> RunAsync(RateLimitStressSettings settings, long? tpmLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Requests);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Concurrency);
        using var probe = new RateLimitMeterProbe(meterScope, settings.Model);
        _total = settings.Requests;
        var results = new Outcome[settings.Requests];
        int next = -1;
        long start = timeProvider.GetTimestamp();

        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < settings.Requests)
            {
                results[index] = await SendAsync(settings, index, cancellationToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(settings.Concurrency, settings.Requests)).Select(_ => WorkAsync())).ConfigureAwait(false);
        TimeSpan elapsed = timeProvider.GetElapsedTime(start);
        return Report(settings, results, probe, elapsed, tpmLimit);
    }

    private static RateLimitStressReport Report(RateLimitStressSettings settings, Outcome[] results, RateLimitMeterProbe probe, TimeSpan elapsed, long? tpmLimit)
    {
        long tokens = results.Sum(r => r.Tokens);
        int succeeded = results.Count(r => r.Error is null);
        int sent = results.Count(r => r.Sent);
        double[] waits = [.. probe.WaitsMs.Order()];
        double minutes = Math.Max(elapsed.TotalMinutes, 1e-9);
        return new RateLimitStressReport(
            settings.Model,
            settings.Requests,
            settings.Concurrency,
            succeeded,
            settings.Requests - succeeded,
            results.Where(r => r.Error is not null).GroupBy(r => r.Error!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            probe.ServerRejections,
            Math.Max(0, waits.Length - sent),
            results.Count(static r => r.FellBack),
            results.Count(static r => r.CacheHit),
            new QueueWaitPercentiles(Percentile(waits, 0.50), Percentile(waits, 0.95), Percentile(waits, 0.99)),
            tokens,
            Math.Round(elapsed.TotalSeconds, 3),
            Math.Round(tokens / minutes, 1),
            Math.Round(Math.Max(0, tokens - (tpmLimit ?? 0)) / minutes, 1),
            tpmLimit);
    }

    private static double Percentile(double[] sorted, double p)
        => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);

    private async Task<Outcome> SendAsync(RateLimitStressSettings settings, int index, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(settings.Seed, index));
        int words = random.Next(Math.Max(1, settings.PromptWords / 10), Math.Max(2, settings.PromptWords + 1));
        int maxTokens = random.Next(Math.Max(1, settings.MaxTokens / 2), settings.MaxTokens + 1);
        bool stream = index % 3 == 0;
        GroqPriority priority = index % 4 == 3 ? GroqPriority.Background : GroqPriority.Interactive;

        var history = new ChatHistory();
        history.AddUserMessage(Prompt(random, words));
        var execution = new OpenAIPromptExecutionSettings { ModelId = settings.Model, MaxTokens = maxTokens, Temperature = 0.7 };

        Interlocked.Increment(ref _started);
        Outcome outcome;
        var relay = new StatusRelay(this);
        try
        {
            using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions
            {
                Feature = "stress",
                Priority = priority,
                Timeout = settings.RequestTimeout,
                Status = relay,
            });
            ChatTokenUsage? usage = null;
            if (stream)
            {
                await foreach (StreamingChatMessageContent update in chat.GetStreamingChatMessageContentsAsync(history, execution, kernel: null, cancellationToken).ConfigureAwait(false))
                {
                    usage = UsageOf(update.Metadata) ?? usage;
                }
            }
            else
            {
                ChatMessageContent answer = await chat.GetChatMessageContentAsync(history, execution, kernel: null, cancellationToken).ConfigureAwait(false);
                usage = UsageOf(answer.Metadata);
            }

            long cached = usage?.InputTokenDetails?.CachedTokenCount ?? 0;
            UsageRecord? record = scope.LastRecord;
            outcome = new Outcome(null, Sent: true, usage is null ? 0 : usage.InputTokenCount + usage.OutputTokenCount - cached, FellBack: record?.FallbackReason is not null, CacheHit: record?.CacheHit == true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (Unwrap(ex) is GroqException groq)
        {
            outcome = new Outcome(groq.Kind, Sent: !IsLocalRefusal(groq), 0);
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            relay.Done();
            Interlocked.Increment(ref _completed);
        }

        Report(null);
        return outcome;
    }

    private void Report(string? status)
        => Progress?.Report(new RateLimitStressProgress(Volatile.Read(ref _completed), _total, Volatile.Read(ref _failed), status));

    private static GroqException? Unwrap(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is GroqException groq)
            {
                return groq;
            }
        }

        return null;
    }

    private static bool IsLocalRefusal(GroqException exception) => exception switch
    {
        GroqRateLimitException { Reason: GroqRateLimitReason.QueueFull } => true,
        GroqRateLimitException { Reason: GroqRateLimitReason.RateLimitTimeout, StatusCode: null } => true,
        GroqRequestTooLargeException { IsLocal: true } => true,
        GroqContextLengthExceededException { StatusCode: null } => true,
        _ => false,
    };

    private static ChatTokenUsage? UsageOf(IReadOnlyDictionary<string, object?>? metadata)
        => metadata is not null && metadata.TryGetValue("Usage", out object? value) ? value as ChatTokenUsage : null;

    private static string Prompt(Random random, int words)
    {
        var text = new StringBuilder("Summarize these notes in one paragraph:");
        for (int i = 0; i < words; i++)
        {
            text.Append(' ').Append(s_words[random.Next(s_words.Length)]);
        }

        return text.ToString();
    }

    private readonly record struct Outcome(string? Error, bool Sent, long Tokens, bool FellBack = false, bool CacheHit = false);

    /// <summary>
    /// Forwards the limiter's queue reports ("waiting 3.2 s for tokens/minute on …") to the run's progress, and counts the
    /// request in <see cref="RetryWaiting"/> from a retry announcement until it joins the queue or ends.
    /// </summary>
    private sealed class StatusRelay(RateLimitStressRunner runner) : IProgress<GroqRequestStatus>
    {
        private int _retrying;

        public void Report(GroqRequestStatus value)
        {
            if (value.Phase == GroqRequestPhase.Retrying)
            {
                Mark(retrying: true);
            }
            else if (value.Phase == GroqRequestPhase.Queued)
            {
                Mark(retrying: false);
            }

            runner.Report(value.Message);
        }

        public void Done() => Mark(retrying: false);

        private void Mark(bool retrying)
        {
            if (Interlocked.Exchange(ref _retrying, retrying ? 1 : 0) != (retrying ? 1 : 0))
            {
                Interlocked.Add(ref runner._retryWaiting, retrying ? 1 : -1);
            }
        }
    }
}
