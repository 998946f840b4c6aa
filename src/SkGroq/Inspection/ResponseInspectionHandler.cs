using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Inspection.Sse;

namespace SkGroq.Inspection;

/// <summary>
/// The innermost handler of the <c>groq</c> pipeline (position 5): counts the attempt, bounds the wait for the first
/// response byte, turns Groq's error responses into typed <see cref="GroqException"/>s, and attaches a
/// <see cref="ResponseObservation"/> to every successful chat completion (usage tap, stream watchdog, mid-stream errors).
/// </summary>
/// <remarks>
/// Failures are thrown as <see cref="GroqException"/>s — never <see cref="HttpRequestException"/>, which System.ClientModel
/// would wrap — so retry policies see <see cref="GroqException.IsRetryable"/> and callers see an actionable message.
/// The caller's own cancellation passes through as <see cref="OperationCanceledException"/>. Requests other than chat
/// completions (<c>GET /models</c>) only get the timeout and the error mapping.
/// </remarks>
internal sealed class ResponseInspectionHandler : GroqHandler
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly Action<object?> s_cancel = static state => ((CancellationTokenSource)state!).Cancel();
    private readonly ResponseInspectionOptions _options;
    private readonly ILogger _logger;
    private readonly ResponseInspector _inspector;

    /// <summary>Initializes a new instance of the <see cref="ResponseInspectionHandler"/> class.</summary>
    /// <param name="options">The inspection settings (<c>Groq:Inspection</c>).</param>
    /// <param name="settings">The pipeline's shared settings (request deadline, organization label, cache partition, fallback chains).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ResponseInspectionHandler(IOptions<ResponseInspectionOptions> options, GroqPipelineSettings settings, TimeProvider timeProvider, ILogger<ResponseInspectionHandler>? logger = null)
        : base(settings, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _inspector = new ResponseInspector(_options, timeProvider, _logger);
    }

    /// <inheritdoc />
    protected override bool Handles(HttpRequestMessage request, GroqRequestInfo info) => true;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendGroqAsync(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken)
    {
        int attempt = info.BeginAttempt();
        HttpResponseMessage response;
        // One source per attempt instead of a timer source plus a linked one: the caller's cancellation is forwarded into it
        // (the catch clauses below still tell the caller's token from the timeout by checking the caller's first).
        using (var firstByte = new CancellationTokenSource(_options.FirstByteTimeout, TimeProvider))
        using (cancellationToken.UnsafeRegister(s_cancel, firstByte))
        {
            try
            {
                response = await SendInnerAsync(request, firstByte.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                // The caller's own cancellation stays a cancellation, tied to the caller's token (not our linked one).
                if (ex.CancellationToken == cancellationToken)
                {
                    throw;
                }

                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }
            catch (OperationCanceledException ex) when (firstByte.IsCancellationRequested)
            {
                Log.FirstByteTimeout(_logger, info.Model, _options.FirstByteTimeout, attempt);
                throw new GroqTimeoutException(
                    $"Groq sent nothing back for {Describe(info.Model)} within {GroqErrorParser.FormatWait(_options.FirstByteTimeout)} (attempt {attempt}). "
                    + "It is retried while attempts and the deadline allow; if long prompts need longer, raise Groq:Inspection:FirstByteTimeout.",
                    new GroqErrorDetails { Model = info.Model },
                    ex)
                {
                    TimeoutKind = GroqTimeoutKind.FirstByte,
                    Timeout = _options.FirstByteTimeout,
                };
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or OperationCanceledException)
            {
                // OperationCanceledException here is neither the caller's nor ours: SocketsHttpHandler's ConnectTimeout.
                throw ConnectionFailed(request, info, attempt, ex);
            }

            if (!response.IsSuccessStatusCode)
            {
                byte[] body = await ReadErrorBodyAsync(response, firstByte.Token, cancellationToken).ConfigureAwait(false);
                GroqException error = GroqErrorParser.FromResponse(response, body, info.Model, TimeProvider.GetUtcNow());
                Log.ErrorResponse(_logger, (int)response.StatusCode, error.Kind, info.Model, error.RequestId, attempt);
                response.Dispose();
                throw error;
            }

            if (!info.IsChatCompletion)
            {
                return response;
            }

            // A JSON body must then arrive within the stream idle timeout: the same source, its timer moved (a stream has its own watchdog).
            long headersTimestamp = TimeProvider.GetTimestamp();
            firstByte.CancelAfter(_options.StreamIdleTimeout);
            return await _inspector.ObserveAsync(response, info, headersTimestamp, firstByte.Token, cancellationToken).ConfigureAwait(false);
        }
    }

    private GroqConnectionException ConnectionFailed(HttpRequestMessage request, GroqRequestInfo info, int attempt, Exception ex)
    {
        string host = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.Authority : "the configured host";
        Exception innermost = Innermost(ex);
        GroqConnectionFailure failure = Classify(ex, innermost);
        string reason = failure switch
        {
            GroqConnectionFailure.Refused => "connection refused",
            GroqConnectionFailure.NameResolution => "the host name does not resolve",
            GroqConnectionFailure.Tls => "the TLS handshake failed",
            GroqConnectionFailure.Timeout => "the connection attempt timed out",
            _ => innermost.Message.TrimEnd('.'),
        };
        Log.ConnectionFailed(_logger, host, info.Model, attempt, reason);

        // The host is the problem, not the model: the message names it and what to check, and says nothing of retrying.
        return new GroqConnectionException(
            $"Could not connect to {host} ({reason}). Check GROQ_BASE_URL (the endpoint, default https://api.groq.com/openai/v1) "
            + "and the network or proxy.",
            new GroqErrorDetails { Model = info.Model },
            ex)
        {
            Failure = failure,
        };
    }

    private static GroqConnectionFailure Classify(Exception ex, Exception innermost)
    {
        if (ex is OperationCanceledException)
        {
            return GroqConnectionFailure.Timeout;
        }

        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is System.Security.Authentication.AuthenticationException)
            {
                return GroqConnectionFailure.Tls;
            }
        }

        return innermost is SocketException socket
            ? socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => GroqConnectionFailure.Refused,
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => GroqConnectionFailure.NameResolution,
                SocketError.TimedOut => GroqConnectionFailure.Timeout,
                _ => GroqConnectionFailure.Other,
            }
            : GroqConnectionFailure.Other;
    }

    private static Exception Innermost(Exception ex)
    {
        Exception current = ex;
        while (current.InnerException is { } inner)
        {
            current = inner;
        }

        return current;
    }

    /// <summary>Reads an error body, at most <see cref="MaxErrorBodyBytes"/>; a body that cannot be read maps by status alone.</summary>
    private static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken readToken, CancellationToken callerToken)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(4096);
        using var body = new PooledByteBuffer();
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(readToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                while (body.Length < MaxErrorBodyBytes && (read = await stream.ReadAsync(chunk, readToken).ConfigureAwait(false)) > 0)
                {
                    body.Append(chunk.AsSpan(0, Math.Min(read, MaxErrorBodyBytes - body.Length)));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            callerToken.ThrowIfCancellationRequested();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body.WrittenSpan.ToArray();
    }

    private static string Describe(string? model) => model is null ? "the request" : $"model '{model}'";
}
