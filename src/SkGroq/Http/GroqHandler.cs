namespace SkGroq.Http;

/// <summary>
/// The pass-through every handler of the <c>groq</c> pipeline shares: the request's <see cref="GroqRequestInfo"/> is read
/// once (by the outermost handler; the others find it), and a request the handler does not act on — it is switched off, or
/// the request is not a chat completion — is handed on without an async frame of the handler's own.
/// </summary>
internal abstract class GroqHandler : DelegatingHandler
{
    private readonly TimeSpan _requestTimeout;

    /// <summary>Initializes a new instance of the <see cref="GroqHandler"/> class.</summary>
    /// <param name="settings">The pipeline's shared settings (the request deadline when the caller sets none).</param>
    /// <param name="timeProvider">The clock.</param>
    protected GroqHandler(GroqPipelineSettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _requestTimeout = settings.RequestTimeout;
        TimeProvider = timeProvider;
    }

    /// <summary>Gets the clock.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>Gets a value indicating whether the handler is switched on; when off, every request is handed on untouched.</summary>
    protected virtual bool Enabled => true;

    /// <inheritdoc />
    protected sealed override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enabled)
        {
            return base.SendAsync(request, cancellationToken);
        }

        ValueTask<GroqRequestInfo> parse = GroqRequestInfo.GetOrCreateAsync(request, TimeProvider, _requestTimeout, cancellationToken);
        return parse.IsCompletedSuccessfully ? Route(request, parse.Result, cancellationToken) : RouteAsync(request, parse, cancellationToken);
    }

    /// <summary>Gets a value indicating whether the handler acts on <paramref name="request"/>; by default, chat completions only.</summary>
    /// <param name="request">The request.</param>
    /// <param name="info">What the pipeline knows about it.</param>
    /// <returns><see langword="true"/> to call <see cref="SendGroqAsync"/>; <see langword="false"/> to hand the request on.</returns>
    protected virtual bool Handles(HttpRequestMessage request, GroqRequestInfo info) => info.IsChatCompletion;

    /// <summary>Sends a request the handler acts on.</summary>
    /// <param name="request">The request.</param>
    /// <param name="info">What the pipeline knows about it.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>The response.</returns>
    protected abstract Task<HttpResponseMessage> SendGroqAsync(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken);

    /// <summary>Hands the request to the next handler.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The cancellation.</param>
    /// <returns>The next handler's response.</returns>
    protected Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private Task<HttpResponseMessage> Route(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken)
        => Handles(request, info) ? SendGroqAsync(request, info, cancellationToken) : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> RouteAsync(HttpRequestMessage request, ValueTask<GroqRequestInfo> parse, CancellationToken cancellationToken)
        => await Route(request, await parse.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
