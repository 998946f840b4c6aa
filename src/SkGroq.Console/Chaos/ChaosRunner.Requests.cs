using System.Globalization;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Emulator.Faults;
using SkGroq.Errors;

namespace SkGroq.Console.Chaos;

/// <summary>The requests of a chaos run and the report.</summary>
internal sealed partial class ChaosRunner
{
    private static readonly string[] s_questions =
    [
        "What is the capital of France?",
        "Name three primary colours.",
        "Explain a token bucket in one sentence.",
        "Why do streams need an idle timeout?",
        "What does HTTP 503 mean?",
        "Summarise the benefits of retries with jitter.",
        "Write a haiku about rate limits.",
        "How many days are in a leap year?",
    ];

    private async Task<ChaosResult[]> SendAllAsync(IChatCompletionService chat, ChaosSettings settings, CancellationToken cancellationToken)
    {
        var results = new ChaosResult[settings.Requests];
        int next = -1;

        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < settings.Requests)
            {
                results[index] = await SendAsync(chat, settings, index, cancellationToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(settings.Concurrency, settings.Requests)).Select(_ => Task.Run(WorkAsync, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    private async Task<ChaosResult> SendAsync(IChatCompletionService chat, ChaosSettings settings, int index, CancellationToken cancellationToken)
    {
        // Per-request randomness from (seed, index): the mix does not depend on which worker picked the request up.
        var random = new Random(unchecked((settings.Seed * 1_000_003) + index));
        bool streaming = random.NextDouble() < settings.StreamShare;
        string question = s_questions[random.Next(s_questions.Length)];
        bool repeat = random.NextDouble() < settings.RepeatShare;
        int maxTokens = random.Next(16, 129);
        var history = new ChatHistory();
        history.AddUserMessage(repeat ? question : $"Request {index.ToString(CultureInfo.InvariantCulture)}. {question}");

        // A repeated question is the same deterministic request every time (temperature 0, same max tokens): the response
        // cache answers it, and serves it stale when everything upstream fails.
        OpenAIPromptExecutionSettings execution = repeat ? new() { MaxTokens = 64, Temperature = 0 } : new() { MaxTokens = maxTokens };

        using var watchdog = new CancellationTokenSource(settings.Bound + settings.HangAfter, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token, cancellationToken);
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions { Feature = "chaos", Timeout = settings.Deadline });
        long start = timeProvider.GetTimestamp();
        ChaosEnding ending;
        string? error = null;
        string? message = null;
        try
        {
            if (streaming)
            {
                await foreach (StreamingChatMessageContent update in chat.GetStreamingChatMessageContentsAsync(history, execution, cancellationToken: linked.Token).ConfigureAwait(false))
                {
                    _ = update.Content;
                }
            }
            else
            {
                await chat.GetChatMessageContentAsync(history, execution, cancellationToken: linked.Token).ConfigureAwait(false);
            }

            ending = ChaosEnding.Succeeded;
        }
        catch (GroqException ex)
        {
            ending = ChaosEnding.Failed;
            error = ex.Kind;
            message = ex.Message;
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            ending = ChaosEnding.Hung;
            error = $"request {index} ({(streaming ? "stream" : "JSON")}) still running {settings.Bound + settings.HangAfter} after it started";
        }
#pragma warning disable CA1031 // Any other exception is exactly what the soak looks for: it is counted and reported, not swallowed.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            ending = ChaosEnding.Untyped;
            error = $"request {index} ({(streaming ? "stream" : "JSON")}) ended with {ex.GetType().FullName}: {ex.Message}";
        }

        TimeSpan elapsed = timeProvider.GetElapsedTime(start);
        bool late = ending != ChaosEnding.Hung && elapsed > settings.Bound + settings.Tolerance;
        int completed = Interlocked.Increment(ref _completed);
        int failed = ending == ChaosEnding.Failed ? Interlocked.Increment(ref _failed) : Volatile.Read(ref _failed);
        int violations = ending is ChaosEnding.Hung or ChaosEnding.Untyped || late ? Interlocked.Increment(ref _violations) : Volatile.Read(ref _violations);
        Progress?.Report(new ChaosProgress(completed, settings.Requests, failed, violations));
        return new ChaosResult(ending, streaming, elapsed, error, message);
    }

    private static ChaosReport Report(
        ChaosSettings settings,
        ChaosResult[] results,
        TimeSpan elapsed,
        IReadOnlyDictionary<EmulatorFaultKind, long> faultsSent,
        ChaosLedgerCheck ledger,
        UnobservedExceptionCounter unobserved)
    {
        TimeSpan latest = settings.Bound + settings.Tolerance;
        int hangs = results.Count(r => r.Ending == ChaosEnding.Hung);
        int untyped = results.Count(r => r.Ending == ChaosEnding.Untyped);
        ChaosResult[] late = [.. results.Where(r => r.Ending != ChaosEnding.Hung && r.Elapsed > latest)];
        var violations = new List<string>();
        if (hangs > 0)
        {
            violations.Add($"{hangs} requests hung (still running {settings.HangAfter.TotalSeconds:0} s past their bound).");
        }

        if (late.Length > 0)
        {
            violations.Add($"{late.Length} requests ended after their bound of {latest.TotalSeconds:0.0} s (deadline + stream idle timeout + tolerance); the longest took {late.Max(r => r.Elapsed).TotalSeconds:0.0} s.");
        }

        if (untyped > 0)
        {
            violations.Add($"{untyped} requests ended with an exception that is not a GroqException.");
        }

        if (unobserved.Count > 0)
        {
            violations.Add($"{unobserved.Count} task exceptions were never observed.");
        }

        // Below the circuit breaker's failure ratio the circuits stay closed, so retries and the fallback must answer at least
        // about as many requests as were not faulted (a pipeline that fails everything would otherwise pass). At or above it,
        // failing fast with an open circuit is the designed behaviour.
        int answered = results.Count(r => r.Ending == ChaosEnding.Succeeded);
        int expected = (int)(settings.Requests * (1 - settings.FaultRate) * 0.9);
        if (settings.FaultRate < ChaosSettings.CircuitBreakerFailureRatio && answered < expected)
        {
            violations.Add($"Only {answered} requests were answered; with {settings.FaultRate:P0} of attempts faulted (below the circuit breaker's {ChaosSettings.CircuitBreakerFailureRatio:P0}), retries and a fallback model, at least {expected} should be.");
        }

        violations.AddRange(ledger.Mismatches(settings.Requests));

        List<string> samples =
        [
            .. results.Where(r => r.Ending is ChaosEnding.Hung or ChaosEnding.Untyped).Select(r => r.Error!).Take(5),
            .. late.Take(3).Select(r => $"a {(r.Streaming ? "stream" : "JSON request")} took {r.Elapsed.TotalSeconds:0.00} s ({r.Ending}{(r.Error is null ? string.Empty : ", " + r.Error)})"),
            .. unobserved.Samples,
        ];

        return new ChaosReport(
            settings.Requests,
            results.Count(r => r.Streaming),
            settings.Concurrency,
            settings.FaultRate,
            settings.Seed,
            answered,
            results.Count(r => r.Ending == ChaosEnding.Failed),
            results.Where(r => r.Ending == ChaosEnding.Failed).GroupBy(r => r.Error!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            results.Where(r => r.Ending == ChaosEnding.Failed).GroupBy(r => r.Error!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Message!, StringComparer.Ordinal),
            hangs,
            late.Length,
            untyped,
            unobserved.Count,
            [.. samples.Take(10)],
            settings.Deadline.TotalMilliseconds,
            settings.Bound.TotalMilliseconds,
            ChaosLatency.From(results.Select(r => r.Elapsed)),
            Math.Round(elapsed.TotalSeconds, 2),
            faultsSent.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ToDictionary(p => EmulatorFault.NameOf(p.Key), p => p.Value, StringComparer.Ordinal),
            ledger,
            violations);
    }
}
