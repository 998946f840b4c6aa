using System.Diagnostics;
using System.Globalization;
using SkGroq.Context;
using SkGroq.Http;
using SkGroq.Usage;

namespace SkGroq.Tracing;

/// <summary>
/// SkGroq's OpenTelemetry traces: one <c>chat {model}</c> span per logical request (GenAI semantic conventions), a child
/// span per attempt sent to the server, and events for what happened on the way — queue wait, retry (with the delay and
/// whether retry-after or backoff chose it), model fallback, cache hit, time to first token.
/// </summary>
/// <remarks>
/// Listen with <c>AddSource(GroqTracing.SourceName)</c>. Spans carry no prompt or answer text and never the API key. With no
/// listener attached nothing is allocated: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns <see langword="null"/>.
/// </remarks>
public static class GroqTracing
{
    /// <summary>The name of the <see cref="ActivitySource"/>: <c>SkGroq</c>.</summary>
    public const string SourceName = "SkGroq";

    internal static ActivitySource Source { get; } = new(SourceName, typeof(GroqTracing).Assembly.GetName().Version?.ToString());

    internal static Activity? StartRequest(GroqRequestInfo info, Uri? requestUri)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        string model = info.OriginalModel ?? "unknown";
        Activity? activity = Source.StartActivity($"chat {model}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.provider.name", "groq");
        activity.SetTag("gen_ai.system", "groq");
        activity.SetTag("gen_ai.request.model", model);
        if (info.MaxTokens is { } maxTokens)
        {
            activity.SetTag("gen_ai.request.max_tokens", maxTokens);
        }

        if (info.Temperature is { } temperature)
        {
            activity.SetTag("gen_ai.request.temperature", temperature);
        }

        if (requestUri is not null)
        {
            activity.SetTag("server.address", requestUri.Host);
            activity.SetTag("server.port", requestUri.Port);
        }

        activity.SetTag("skgroq.stream", info.Stream);
        activity.SetTag("skgroq.priority", info.Context.Priority.ToString());
        return activity;
    }

    internal static void EndRequest(Activity? activity, UsageRecord record)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.response.model", record.ModelAnswered ?? record.ModelRequested);
        if (record.Usage is { } usage)
        {
            activity.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens);
            activity.SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
        }

        if (record.RequestId is { } id)
        {
            activity.SetTag("gen_ai.response.id", id);
        }

        if (record.FinishReason is { } finish)
        {
            activity.SetTag("gen_ai.response.finish_reasons", new[] { finish });
        }

        activity.SetTag("skgroq.attempts", record.Attempts);
        activity.SetTag("skgroq.cache_hit", record.CacheHit);
        activity.SetTag("skgroq.outcome", record.Outcome.ToString());
        if (record.QueueWait > TimeSpan.Zero)
        {
            activity.SetTag("skgroq.queue_wait_ms", Math.Round(record.QueueWait.TotalMilliseconds, 3));
        }

        if (record.TimeToFirstToken is { } ttft)
        {
            activity.AddEvent(new ActivityEvent("gen_ai.first_token", activity.StartTimeUtc + ttft, new ActivityTagsCollection { ["skgroq.time_to_first_token_ms"] = Math.Round(ttft.TotalMilliseconds, 3) }));
        }

        if (record.Outcome != UsageOutcome.Ok)
        {
            activity.SetTag("error.type", record.ErrorKind ?? record.Outcome.ToString().ToLowerInvariant());
            activity.SetStatus(ActivityStatusCode.Error, record.ErrorKind);
        }

        activity.Stop();
    }

    internal static Activity? StartAttempt(GroqRequestInfo info)
    {
        if (info.Activity is null)
        {
            return null;
        }

        Activity? attempt = Source.StartActivity("groq attempt", ActivityKind.Internal, info.Activity.Context);
        attempt?.SetTag("skgroq.attempt", info.Attempts + 1);
        attempt?.SetTag("gen_ai.request.model", info.Model);
        return attempt;
    }

    internal static void EndAttempt(Activity? attempt, int? statusCode, string? errorKind)
    {
        if (attempt is null)
        {
            return;
        }

        if (statusCode is { } status)
        {
            attempt.SetTag("http.response.status_code", status);
        }

        if (errorKind is not null)
        {
            attempt.SetTag("error.type", errorKind);
            attempt.SetStatus(ActivityStatusCode.Error, errorKind);
        }

        attempt.Stop();
    }

    internal static void AddStatus(Activity? activity, GroqRequestStatus status)
    {
        if (activity is null)
        {
            return;
        }

        var tags = new ActivityTagsCollection { ["skgroq.model"] = status.Model };
        if (status.Wait is { } wait)
        {
            tags["skgroq.wait_ms"] = Math.Round(wait.TotalMilliseconds, 3);
        }

        if (status.Limit is { } limit)
        {
            tags["skgroq.limit"] = limit;
        }

        if (status.Reason is { } reason)
        {
            tags["skgroq.reason"] = reason;
        }

        if (status.DelayBasis is { } basis)
        {
            tags["skgroq.delay_basis"] = basis;
        }

        string name = status.Phase switch
        {
            GroqRequestPhase.Queued => "skgroq.queued",
            GroqRequestPhase.Retrying => "skgroq.retry",
            GroqRequestPhase.FallingBack => "skgroq.fallback",
            GroqRequestPhase.CacheHit => "skgroq.cache_hit",
            _ => "skgroq." + status.Phase.ToString().ToLower(CultureInfo.InvariantCulture),
        };
        activity.AddEvent(new ActivityEvent(name, tags: tags));
    }
}
