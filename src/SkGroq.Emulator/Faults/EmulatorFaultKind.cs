namespace SkGroq.Emulator.Faults;

/// <summary>What an injected fault does. The names in brackets are the spellings of the <c>x-emulator-fault</c> header.</summary>
public enum EmulatorFaultKind
{
    /// <summary>[<c>500</c>] 500 <c>{"error":{"message":"Internal Server Error","type":"internal_server_error"}}</c>.</summary>
    InternalServerError,

    /// <summary>[<c>502</c>] 502 Bad Gateway with a JSON error body.</summary>
    BadGateway,

    /// <summary>[<c>503</c>] 503 "… is currently over capacity. Please try again and back off exponentially. …".</summary>
    ServiceUnavailable,

    /// <summary>[<c>498</c>] 498 flex-tier <c>capacity_exceeded</c>.</summary>
    CapacityExceeded,

    /// <summary>[<c>429</c>] 429 "Request too large … output tokens per minute (OTPM)" with <c>x-should-retry: false</c> and no <c>retry-after</c>, as recorded.</summary>
    RateLimitNoRetry,

    /// <summary>
    /// [<c>429-tpm</c>] The recorded tokens/minute 429: <c>retry-after: 1</c>, <c>x-ratelimit-remaining-tokens: 41</c>,
    /// <c>x-ratelimit-reset-tokens: 59.59s</c> and the body "… on tokens per minute (TPM): Limit 6000, Used 5959, Requested 400.
    /// Please try again in 1s." — the server's wait far shorter than its headers' refill suggests.
    /// </summary>
    RateLimitTokensPerMinute,

    /// <summary>[<c>reset</c>] The connection is aborted before any response header.</summary>
    ConnectionReset,

    /// <summary>[<c>html</c>] 502 with a <c>text/html</c> page, as a CDN in front of Groq would send.</summary>
    HtmlErrorPage,

    /// <summary>[<c>slow-ttft</c>] The first token comes late (<see cref="EmulatorFault.Duration"/> on top of the configured time to first token).</summary>
    SlowFirstToken,

    /// <summary>[<c>stall</c>] After <see cref="EmulatorFault.AfterChunks"/> content chunks no byte is sent for <see cref="EmulatorFault.Duration"/>, then the answer resumes.</summary>
    Stall,

    /// <summary>[<c>error-event</c>] After <see cref="EmulatorFault.AfterChunks"/> content chunks: <c>event: error</c> + <c>data: {"error":{…,"status_code":N}}</c>, then the stream closes without <c>[DONE]</c>.</summary>
    StreamErrorEvent,

    /// <summary>[<c>error-data</c>] Like <see cref="StreamErrorEvent"/> but as a data-only <c>data: {"error":{…}}</c> frame.</summary>
    StreamErrorData,

    /// <summary>[<c>x-groq-error</c>] After <see cref="EmulatorFault.AfterChunks"/> content chunks a chunk with <c>x_groq.error</c>, then the stream closes without <c>[DONE]</c>.</summary>
    StreamXGroqError,

    /// <summary>[<c>disconnect</c>] After <see cref="EmulatorFault.AfterChunks"/> content chunks (and <see cref="EmulatorFault.Duration"/>, default none) the connection is aborted.</summary>
    StreamDisconnect,

    /// <summary>[<c>403</c>] 403 with the plain-text body <c>error code: 1010</c>, as Groq's front door (Cloudflare) sends to blocked clients.</summary>
    PermissionDenied,

    /// <summary>[<c>422</c>] 422 Unprocessable Entity with a JSON error body (shape INFERRED: Groq documents the status, no body was recorded).</summary>
    UnprocessableEntity,
}
