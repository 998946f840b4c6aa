using System.Net.Http.Headers;
using System.Text.Json;
using SkGroq.Context;

namespace SkGroq.Http;

/// <summary>
/// What the pipeline knows about one request, parsed once from its body by whichever handler asks first (the outermost)
/// and shared by every handler through <see cref="HttpRequestMessage.Options"/>.
/// </summary>
internal sealed class GroqRequestInfo
{
    private static readonly HttpRequestOptionsKey<GroqRequestInfo> s_key = new("SkGroq.RequestInfo");

    /// <summary>The model name of the latest request: most requests name the model the one before named, and then share its string.</summary>
    private static string? s_lastModel;

    private int _attempts;
    private IProgress<GroqRequestStatus>? _status;

    private GroqRequestInfo(ReadOnlyMemory<byte> body, string path, GroqRequestOptions context, DateTimeOffset timestamp, long startTimestamp, DateTimeOffset deadline)
    {
        Body = body;
        Path = path;
        Context = context;
        Timestamp = timestamp;
        StartTimestamp = startTimestamp;
        Deadline = deadline;
        ParseBody(body.Span);
        OriginalModel = Model;
    }

    /// <summary>Gets the request body as sent (after any model rewrite).</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>Gets the path relative to the endpoint, e.g. <c>chat/completions</c> or <c>models</c>.</summary>
    public string Path { get; }

    /// <summary>Gets a value indicating whether the request is a chat completion (the only kind the limiter, cache and usage tracker act on).</summary>
    public bool IsChatCompletion => Path.Equals("chat/completions", StringComparison.Ordinal) && Model is not null;

    /// <summary>Gets the model the request is for now (after fallback rewrites).</summary>
    public string? Model { get; private set; }

    /// <summary>Gets the model the caller asked for.</summary>
    public string? OriginalModel { get; }

    /// <summary>Gets a value indicating whether the answer is streamed.</summary>
    public bool Stream { get; private set; }

    /// <summary>Gets a value indicating whether <c>stream_options.include_usage</c> is set.</summary>
    public bool IncludeUsage { get; private set; }

    /// <summary>Gets <c>max_completion_tokens</c>, or the deprecated <c>max_tokens</c>.</summary>
    public int? MaxTokens { get; private set; }

    /// <summary>Gets <c>temperature</c>.</summary>
    public double? Temperature { get; private set; }

    /// <summary>Gets a value indicating whether the request asks for the flex service tier (<c>"service_tier": "flex"</c>).</summary>
    public bool FlexTier { get; private set; }

    /// <summary>Gets the ambient options in force when the request entered the pipeline (defaults when there is no scope).</summary>
    public GroqRequestOptions Context { get; }

    /// <summary>Gets when the request entered the pipeline.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the <see cref="TimeProvider.GetTimestamp"/> reading when the request entered the pipeline.</summary>
    public long StartTimestamp { get; }

    /// <summary>Gets the request's deadline: queueing, retries and fallback must end before it.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>Gets or sets the prompt tokens estimated by the local counter, once someone computed them.</summary>
    public long? EstimatedPromptTokens { get; set; }

    /// <summary>Gets or sets the time spent waiting for quota in the local queue.</summary>
    public TimeSpan QueueWait { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the answer came from the response cache, not from Groq: its usage record bills
    /// 0 tokens and counts the cached answer's usage as tokens saved.
    /// </summary>
    public bool CacheHit { get; set; }

    /// <summary>Gets or sets a value indicating whether the cached answer was served past its freshness because Groq could not answer.</summary>
    public bool Stale { get; set; }

    /// <summary>
    /// Gets or sets what the server said of this request when it refused it for a rate limit: when it takes it again and how
    /// many tokens it counted for it. The next attempt on the same model follows that word instead of the local estimate.
    /// </summary>
    public ServerRetry? ServerRetry { get; set; }

    /// <summary>Gets what the server said of this request on <paramref name="model"/>, if it refused it there.</summary>
    /// <param name="model">The model of the attempt.</param>
    /// <returns>The server's word, or <see langword="null"/>.</returns>
    public ServerRetry? ServerRetryOn(string model) => ServerRetry is { } word && word.Model == model ? word : null;

    /// <summary>
    /// Gets or sets what is known of the response the request is answered with: set by the inspection handler for the attempt
    /// that succeeded (replacing an earlier attempt's), or by the response cache for the answer it served.
    /// </summary>
    public ResponseObservation? Observation { get; set; }

    /// <summary>Gets or sets the request's trace span; <see langword="null"/> when no one listens.</summary>
    internal System.Diagnostics.Activity? Activity { get; set; }

    /// <summary>Gets where the pipeline reports the request's progress: the caller's <see cref="GroqRequestOptions.Status"/>, and the trace span as events.</summary>
    internal IProgress<GroqRequestStatus>? Status => Activity is null ? Context.Status : _status ??= new TracedStatus(this);

    /// <summary>Gets or sets why the model fallback left <see cref="OriginalModel"/> (e.g. <c>503 over capacity</c>); <see langword="null"/> without fallback.</summary>
    public string? FallbackReason { get; set; }

    /// <summary>Gets the number of attempts sent to the server so far.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Gets the info of a request, if a handler already created it.</summary>
    public static GroqRequestInfo? Get(HttpRequestMessage request)
        => request.Options.TryGetValue(s_key, out GroqRequestInfo? info) ? info : null;

    /// <summary>Gets the info of a request, parsing the body and fixing the deadline the first time.</summary>
    /// <param name="request">The request.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="defaultTimeout">The deadline when the ambient context sets none.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    public static async ValueTask<GroqRequestInfo> GetOrCreateAsync(HttpRequestMessage request, TimeProvider timeProvider, TimeSpan defaultTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Get(request) is { } existing)
        {
            return existing;
        }

        byte[] body = request.Content is null ? [] : await TakeBodyAsync(request, cancellationToken).ConfigureAwait(false);
        GroqRequestOptions context = GroqRequestContext.Current?.Options ?? s_defaults;
        DateTimeOffset now = timeProvider.GetUtcNow();
        var info = new GroqRequestInfo(body, RelativePath(request.RequestUri), context, now, timeProvider.GetTimestamp(), now + (context.Timeout ?? defaultTimeout));
        request.Options.Set(s_key, info);
        return info;
    }

    /// <summary>Records that one more attempt is being sent.</summary>
    /// <returns>The attempt number, from 1.</returns>
    public int BeginAttempt() => Interlocked.Increment(ref _attempts);

    /// <summary>Replaces the request body (used by the model fallback) and re-reads what it says.</summary>
    /// <param name="request">The request whose content is replaced.</param>
    /// <param name="body">The new body.</param>
    public void ReplaceBody(HttpRequestMessage request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        if (request.Content is { } previous)
        {
            PutBack(request, previous, body);
        }
        else
        {
            request.Content = new ByteArrayContent(body);
        }

        request.Content.Headers.ContentType ??= new MediaTypeHeaderValue("application/json");
        Body = body;
        ParseBody(body);
    }

    private static readonly GroqRequestOptions s_defaults = new();

    /// <summary>
    /// Reads the body once and puts the bytes back as the request's content, so later handlers and retries send the same
    /// bytes and the SDK's buffered copy (pooled, held until the request is disposed — after the last byte of a stream) is
    /// handed back at once: a request in flight keeps one copy of its body, not two.
    /// </summary>
    private static async ValueTask<byte[]> TakeBodyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpContent original = request.Content!;
        byte[] body = await original.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (original is not ByteArrayContent)
        {
            PutBack(request, original, body);
        }

        return body;
    }

    /// <summary>Makes <paramref name="body"/> the request's content with <paramref name="original"/>'s headers, and lets the original go.</summary>
    private static void PutBack(HttpRequestMessage request, HttpContent original, byte[] body)
    {
        var content = new ByteArrayContent(body);
        ContentHeaders.CopyUnparsed(original, content);
        request.Content = content;
        original.Dispose();
    }

    private static string? ModelName(ref Utf8JsonReader reader)
    {
        string? last = Volatile.Read(ref s_lastModel);
        if (last is not null && reader.ValueTextEquals(last))
        {
            return last;
        }

        string? model = reader.GetString();
        Volatile.Write(ref s_lastModel, model);
        return model;
    }

    private static string RelativePath(Uri? uri)
    {
        if (uri is null)
        {
            return string.Empty;
        }

        string path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString;
        foreach (string known in (ReadOnlySpan<string>)["chat/completions", "models"])
        {
            if (path.EndsWith("/" + known, StringComparison.Ordinal) || path.Equals(known, StringComparison.Ordinal))
            {
                return known;
            }
        }

        int models = path.LastIndexOf("/models/", StringComparison.Ordinal);
        return models >= 0 ? path[(models + 1)..] : path.TrimStart('/');
    }

    private void ParseBody(ReadOnlySpan<byte> body)
    {
        Model = null;
        Stream = false;
        IncludeUsage = false;
        MaxTokens = null;
        Temperature = null;
        FlexTier = false;
        if (body.IsEmpty)
        {
            return;
        }

        int? maxTokens = null;
        int? maxCompletionTokens = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    Model = reader.TokenType == JsonTokenType.String ? ModelName(ref reader) : null;
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    Stream = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("max_completion_tokens"u8))
                {
                    reader.Read();
                    maxCompletionTokens = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n) ? n : null;
                }
                else if (reader.ValueTextEquals("max_tokens"u8))
                {
                    reader.Read();
                    maxTokens = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n) ? n : null;
                }
                else if (reader.ValueTextEquals("temperature"u8))
                {
                    reader.Read();
                    Temperature = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null;
                }
                else if (reader.ValueTextEquals("service_tier"u8))
                {
                    reader.Read();
                    FlexTier = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("flex"u8);
                }
                else if (reader.ValueTextEquals("stream_options"u8))
                {
                    reader.Read();
                    IncludeUsage = reader.TokenType == JsonTokenType.StartObject && ReadIncludeUsage(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A body that is not JSON is sent as is; Groq answers it with a 400 the error mapping explains.
        }

        MaxTokens = maxCompletionTokens ?? maxTokens;
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        bool includeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                includeUsage = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Skip();
            }
        }

        return includeUsage;
    }

    private sealed class TracedStatus(GroqRequestInfo info) : IProgress<GroqRequestStatus>
    {
        public void Report(GroqRequestStatus value)
        {
            Tracing.GroqTracing.AddStatus(info.Activity, value);
            info.Context.Status?.Report(value);
        }
    }
}
