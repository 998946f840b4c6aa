using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkGroq.Caching.Stores;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Resilience;

namespace SkGroq.Caching;

/// <summary>
/// Position 2 of the <c>groq</c> pipeline, after usage tracking and before resilience (retries, fallback) and the rate limiter (so a
/// hit costs no quota): answers repeated requests from the response cache, coalesces identical concurrent requests into one
/// upstream call, stores complete answers, and stands in with a stale answer when Groq cannot answer.
/// </summary>
/// <remarks>
/// <para>Only chat completions that <see cref="CachePolicy.Classify"/> admits are touched — deterministic ones, or those whose
/// ambient context opts in; everything else passes through untouched. The key is <see cref="ResponseCacheKey"/> of the body
/// (never headers, never the API key).</para>
/// <para><b>Hit:</b> a fresh entry is served as a new 200 response — JSON, or for a streaming request its SSE payloads replayed
/// byte for byte (a stored JSON answer is converted to chunks, a stored stream to JSON when the request asks the other way).
/// The request's info is marked <see cref="GroqRequestInfo.CacheHit"/>; the usage tracker records 0 billed tokens and the original's
/// tokens as saved. The response carries <c>x-skgroq-cache: hit</c> and <c>Age</c>.</para>
/// <para><b>Miss:</b> the first caller leads: its request goes down the pipeline and its answer is stored when complete — a JSON
/// body at once, a stream when its <c>data: [DONE]</c> passes (the stream is teed, never buffered or delayed). Identical
/// requests arriving meanwhile wait for the leader's answer (at most <see cref="ResponseCachingOptions.SingleFlightTimeout"/>
/// and their deadline); when the leader fails, is cancelled, or its answer is not storable, each of them asks Groq itself.
/// An answer from another model of the fallback chain is shared with those waiting but not stored.</para>
/// <para><b>Degraded mode:</b> when everything below fails with a <see cref="GroqException"/> that means Groq could not answer
/// (<see cref="GroqFailurePolicy.AllowsStaleAnswer"/>) and an entry within its stale window exists, that entry is served marked
/// <see cref="GroqRequestInfo.Stale"/> and <c>x-skgroq-cache: stale</c>, and the ambient status reports it; otherwise the error
/// is rethrown as it was.</para>
/// </remarks>
internal sealed partial class ResponseCachingHandler : GroqHandler
{
    private readonly ResponseCache _cache;
    private readonly ResponseCachingOptions _options;
    private readonly ILogger _logger;
    private readonly string? _partition;

    /// <summary>Initializes a new instance of the <see cref="ResponseCachingHandler"/> class.</summary>
    /// <param name="settings">The pipeline's shared settings (request deadline, organization label, cache partition, fallback chains).</param>
    /// <param name="cache">The response cache.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ResponseCachingHandler(GroqPipelineSettings settings, ResponseCache cache, TimeProvider timeProvider, ILogger<ResponseCachingHandler>? logger = null)
        : base(settings, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _options = cache.Options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        // Answers do not depend on the key, but organizations may see different models: partition by the configured label only.
        _partition = settings.CachePartition;
    }

    /// <inheritdoc />
    protected override bool Enabled => _options.Enabled;

    /// <inheritdoc />
    protected override bool Handles(HttpRequestMessage request, GroqRequestInfo info) => request.Method == HttpMethod.Post && info.IsChatCompletion;

    /// <inheritdoc />
    /// <remarks>
    /// A request the cache lets through (not deterministic) is handed on without an async frame of this handler's own.
    /// </remarks>
    protected override Task<HttpResponseMessage> SendGroqAsync(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken)
    {
        CacheRequestKind kind = CachePolicy.Classify(info.Context.Cache, info.Temperature);
        if (kind == CacheRequestKind.Bypass)
        {
            _cache.RecordBypass();
            return SendInnerAsync(request, cancellationToken);
        }

        return SendCacheableAsync(request, info, kind, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendCacheableAsync(HttpRequestMessage request, GroqRequestInfo info, CacheRequestKind kind, CancellationToken cancellationToken)
    {
        if (!ResponseCacheKey.TryCompute(info.Body, info.Path, _partition, out string key))
        {
            Log.UnreadableRequest(_logger, info.Model);
            _cache.RecordBypass();
            return await SendInnerAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (kind == CacheRequestKind.Refresh)
        {
            _cache.RecordMiss(info.Model);
            return await SendUpstreamAsync(request, info, key, flight: null, stored: null, cancellationToken).ConfigureAwait(false);
        }

        CachedAnswer? stored = await _cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = TimeProvider.GetUtcNow();
        if (stored is not null && Freshness(stored, now) == CacheFreshness.Fresh)
        {
            return Serve(request, info, stored, coalesced: false);
        }

        Flight<CachedAnswer> flight = _cache.Flights.Join(key, now, _options.SingleFlightTimeout, out bool leader);
        if (!leader)
        {
            CachedAnswer? shared = await FollowAsync(flight, info, cancellationToken).ConfigureAwait(false);
            if (shared is not null)
            {
                return Serve(request, info, shared, coalesced: true);
            }

            _cache.RecordMiss(info.Model);
            return await SendUpstreamAsync(request, info, key, flight: null, stored, cancellationToken).ConfigureAwait(false);
        }

        // Checked again as leader: an identical request may have stored its answer and left between our read and our join.
        CachedAnswer? meanwhile;
        try
        {
            meanwhile = await _cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _cache.Flights.Complete(flight, null);
            throw;
        }

        if (meanwhile is not null && !ReferenceEquals(meanwhile, stored) && Freshness(meanwhile, TimeProvider.GetUtcNow()) == CacheFreshness.Fresh)
        {
            _cache.Flights.Complete(flight, meanwhile);
            return Serve(request, info, meanwhile, coalesced: false);
        }

        Log.Miss(_logger, info.Model);
        _cache.RecordMiss(info.Model);
        return await SendUpstreamAsync(request, info, key, flight, stored, cancellationToken).ConfigureAwait(false);
    }

    private CacheFreshness Freshness(CachedAnswer answer, DateTimeOffset now)
        => CachePolicy.Evaluate(answer.StoredAt, now, _options.TimeToLive, _options.StaleWindow);

    /// <summary>Waits for the leader of an identical request; <see langword="null"/> when it has nothing to share or takes too long.</summary>
    private async Task<CachedAnswer?> FollowAsync(Flight<CachedAnswer> flight, GroqRequestInfo info, CancellationToken cancellationToken)
    {
        TimeSpan untilDeadline = info.Deadline - TimeProvider.GetUtcNow();
        TimeSpan wait = untilDeadline < _options.SingleFlightTimeout ? untilDeadline : _options.SingleFlightTimeout;
        if (wait <= TimeSpan.Zero)
        {
            Log.FollowerOnItsOwn(_logger, info.Model, "no time left to wait");
            return null;
        }

        CachedAnswer? shared;
        try
        {
            // Only this caller's token: cancelling one follower cancels nobody else's wait, nor the leader.
            shared = await flight.Result.WaitAsync(wait, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The leader is too slow (or its reader vanished): let later requests start afresh instead of joining it.
            _cache.Flights.Forget(flight);
            Log.FollowerOnItsOwn(_logger, info.Model, "the identical request took longer than the wait allowed");
            return null;
        }

        if (shared is null)
        {
            Log.FollowerOnItsOwn(_logger, info.Model, "the identical request failed or its answer is not storable");
        }

        return shared;
    }
}
