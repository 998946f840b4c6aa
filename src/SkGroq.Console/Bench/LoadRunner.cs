using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Errors;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;

namespace SkGroq.Console.Bench;

/// <summary>
/// Runs N streaming conversations at once through Semantic Kernel: each asks a question, streams the answer, optionally
/// pauses, and asks the next, until the run's duration is over. Records time to first token, generation time and tokens per answer.
/// </summary>
/// <remarks>
/// Requests are not deterministic (temperature 0.7), so the response cache never answers: every request reaches the server.
/// A conversation restarts after <see cref="TurnsPerConversation"/> questions, so prompts stay short as in a chat.
/// </remarks>
internal sealed class LoadRunner(IChatCompletionService chat, TimeProvider timeProvider)
{
    /// <summary>The questions a conversation asks before it starts over.</summary>
    public const int TurnsPerConversation = 5;

    private static readonly string[] s_questions =
    [
        "What is the capital of France?",
        "Explain how a token bucket rate limiter works in two sentences.",
        "Summarize the benefits of connection pooling for HTTP clients.",
        "Give me three tips for writing readable C# code.",
        "What does time to first token measure?",
        "Why do streaming answers feel faster to users?",
        "Name two differences between TCP and UDP.",
        "How would you explain server-sent events to a new engineer?",
    ];

    private int _inFlight;
    private long _completed;
    private long _failed;

    /// <summary>Gets the requests under way.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the requests that got their whole answer.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Gets the requests that failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Runs the conversations until <see cref="LoadSettings.Duration"/> is over and every request under way has ended.</summary>
    /// <param name="settings">What to run.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Every conversation's requests and the elapsed time.</returns>
    public async Task<LoadRun> RunAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Streams);
        long start = timeProvider.GetTimestamp();
        var conversations = new Task<ConversationResult>[settings.Streams];
        for (int i = 0; i < conversations.Length; i++)
        {
            int index = i;

            // On the pool: each conversation's synchronous start (building and serializing its first request) runs in parallel.
            conversations[i] = Task.Run(() => ConverseAsync(settings, index, start, cancellationToken), cancellationToken);
        }

        ConversationResult[] results = await Task.WhenAll(conversations).ConfigureAwait(false);
        return new LoadRun(results, timeProvider.GetElapsedTime(start));
    }

    private async Task<ConversationResult> ConverseAsync(LoadSettings settings, int index, long start, CancellationToken cancellationToken)
    {
        TimeSpan offset = settings.Ramp * index / settings.Streams;
        if (offset > TimeSpan.Zero)
        {
            await Task.Delay(offset, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var random = new Random(HashCode.Combine(settings.Seed, index));
        var execution = new OpenAIPromptExecutionSettings { ModelId = settings.Model, MaxTokens = settings.MaxTokens, Temperature = 0.7 };
        var samples = new List<LoadSample>();
        var failures = new List<string>();
        ChatHistory history = [];
        for (int turn = 0; ; turn++)
        {
            if (turn % TurnsPerConversation == 0)
            {
                history = [];
                history.AddSystemMessage("You are a concise assistant. Answer in a few sentences.");
            }

            history.AddUserMessage(s_questions[random.Next(s_questions.Length)]);
            (LoadSample? sample, string? answer, string? failure) = await AskAsync(history, execution, first: turn == 0, cancellationToken).ConfigureAwait(false);
            if (sample is { } s)
            {
                samples.Add(s);
                history.AddAssistantMessage(answer!);
            }
            else
            {
                failures.Add(failure!);
                history.RemoveAt(history.Count - 1);
            }

            if (settings.ThinkTime > TimeSpan.Zero && timeProvider.GetElapsedTime(start) < settings.Duration)
            {
                await Task.Delay(settings.ThinkTime, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            if (timeProvider.GetElapsedTime(start) >= settings.Duration)
            {
                return new ConversationResult(samples, failures);
            }
        }
    }

    private async Task<(LoadSample? Sample, string? Answer, string? Failure)> AskAsync(ChatHistory history, OpenAIPromptExecutionSettings execution, bool first, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        long chunks = 0;
        ChatTokenUsage? usage = null;
        long begin = timeProvider.GetTimestamp();
        long firstToken = 0;
        string? answeredBy = null;
        Interlocked.Increment(ref _inFlight);
        try
        {
            await foreach (StreamingChatMessageContent update in chat.GetStreamingChatMessageContentsAsync(history, execution, kernel: null, cancellationToken).ConfigureAwait(false))
            {
                if (update.Content is { Length: > 0 } content)
                {
                    if (firstToken == 0)
                    {
                        firstToken = timeProvider.GetTimestamp();
                    }

                    chunks++;
                    text.Append(content);
                    answeredBy ??= update.ModelId;
                }

                if (update.Metadata is { } metadata && metadata.TryGetValue("Usage", out object? value) && value is ChatTokenUsage reported)
                {
                    usage = reported;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed request is a result of the run (counted by kind), not the end of it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failed);
            return (null, null, KindOf(ex));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        long end = timeProvider.GetTimestamp();
        if (firstToken == 0)
        {
            Interlocked.Increment(ref _failed);
            return (null, null, "empty_answer");
        }

        if (answeredBy is not null && !string.Equals(answeredBy, execution.ModelId, StringComparison.Ordinal))
        {
            // A fallback model answered: the requested model failed, and the timing is not the one asked for.
            Interlocked.Increment(ref _failed);
            return (null, null, "answered_by_fallback_model");
        }

        Interlocked.Increment(ref _completed);
        var sample = new LoadSample(
            timeProvider.GetElapsedTime(begin, firstToken),
            timeProvider.GetElapsedTime(firstToken, end),
            usage?.OutputTokenCount ?? chunks,
            first);
        return (sample, text.ToString(), null);
    }

    private static string KindOf(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is GroqException groq)
            {
                return groq.Kind;
            }
        }

        return exception.GetType().Name;
    }
}
