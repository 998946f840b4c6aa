using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SkGroq.Errors;
using SkGroq.Http;

namespace SkGroq.Inspection;

/// <summary>
/// Observes a successful chat-completion response for <see cref="GroqRequestInfo.Observation"/>: reads a JSON body whole (the
/// OpenAI SDK buffers it anyway) or wraps an SSE body in a <see cref="GroqSseStream"/>; rejects bodies that are not Groq's API.
/// </summary>
internal sealed class ResponseInspector
{
    private readonly ResponseInspectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ResponseInspector"/> class.</summary>
    /// <param name="options">The inspection settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ResponseInspector(ResponseInspectionOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Observes a 2xx chat-completion response.</summary>
    /// <param name="response">The response, whose content may be replaced.</param>
    /// <param name="info">The request: its model, whether it asked for a stream (decides a body that has no content type);
    /// its <see cref="GroqRequestInfo.Observation"/> is set.</param>
    /// <param name="headersTimestamp">When the headers arrived.</param>
    /// <param name="bodyToken">Cancelled when a JSON body stalls (the stream idle timeout) or the caller cancels.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The response.</returns>
    /// <exception cref="GroqInvalidResponseException">The body is not Groq's API; the response is disposed.</exception>
    public async ValueTask<HttpResponseMessage> ObserveAsync(HttpResponseMessage response, GroqRequestInfo info, long headersTimestamp, CancellationToken bodyToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(info);
        string? model = info.Model;
        string? headerRequestId = HeaderValues.First(response.Headers, "x-request-id");
        string? mediaType = ContentHeaders.MediaType(response.Content);
        if (IsEventStream(mediaType) || (mediaType is null && info.Stream))
        {
            var observation = new ResponseObservation(headerRequestId, streaming: true, headersTimestamp);
            Stream inner = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var stream = new GroqSseStream(inner, observation, model, _timeProvider, _options.StreamIdleTimeout, _logger);
            response.Content = new ObservedStreamContent(response.Content, stream);
            info.Observation = observation;
            return response;
        }

        if (mediaType is not null && !IsJson(mediaType))
        {
            Log.InvalidResponse(_logger, model, mediaType);
            GroqException error = NotGroq(response, model, headerRequestId, $"a '{mediaType}' body");
            response.Dispose();
            throw error;
        }

        return await ObserveJsonAsync(response, info, headerRequestId, mediaType, headersTimestamp, bodyToken, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<HttpResponseMessage> ObserveJsonAsync(
        HttpResponseMessage response, GroqRequestInfo info, string? headerRequestId, string? mediaType, long headersTimestamp, CancellationToken bodyToken, CancellationToken cancellationToken)
    {
        string? model = info.Model;
        try
        {
            // Buffered in place: the caller reads the same content (the OpenAI SDK buffers it anyway), so there is no
            // second copy of the body and no new content whose headers would have to be copied over.
            await response.Content.LoadIntoBufferAsync(bodyToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            throw;
        }
        catch (OperationCanceledException ex) when (bodyToken.IsCancellationRequested)
        {
            response.Dispose();
            throw new GroqTimeoutException(
                $"Groq's answer for {Describe(model)} stalled: the body did not arrive within {GroqErrorParser.FormatWait(_options.StreamIdleTimeout)} of the headers. Ask again.",
                new GroqErrorDetails { Model = model, RequestId = headerRequestId },
                ex)
            {
                TimeoutKind = GroqTimeoutKind.StreamIdle,
                Timeout = _options.StreamIdleTimeout,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            response.Dispose();
            throw new GroqConnectionException(
                $"The connection to Groq broke while {Describe(model)}'s answer was arriving ({ex.Message}). Ask again.",
                new GroqErrorDetails { Model = model, RequestId = headerRequestId },
                ex);
        }

        (ChatCompletionSummary? summary, bool empty) = ReadBuffered(response.Content);
        if (summary is null)
        {
            Log.InvalidResponse(_logger, model, ContentHeaders.MediaType(response.Content));
            GroqException error = NotGroq(response, model, headerRequestId, empty ? "an empty body" : "a body that is not a complete chat completion (cut off, or not JSON)");
            response.Dispose();
            throw error;
        }

        string? requestId = summary.RequestId ?? headerRequestId;
        if (summary.ErrorJson is not null)
        {
            response.Dispose();
            throw GroqErrorParser.FromStreamError(summary.ErrorJson, string.Empty, summary.Model ?? model, requestId);
        }

        if (mediaType is null)
        {
            // Groq's own value, read as sent above, is left unparsed; only a missing one is filled in.
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        long now = _timeProvider.GetTimestamp();
        var observation = new ResponseObservation(headerRequestId ?? summary.RequestId, streaming: false, headersTimestamp);
        info.Observation = observation;
        observation.TryComplete(new ResponseOutcome(
            ResponseEndKind.Completed,
            summary.Usage,
            summary.Model,
            summary.FinishReason,
            summary.HasContent ? 1 : 0,
            summary.HasContent ? now : null,
            now,
            null)
        {
            RequestId = requestId,
        });
        return response;
    }

    /// <summary>Reads the usage summary of a buffered body through a pooled copy (the buffer itself is not exposed).</summary>
    /// <remarks>
    /// The content hands out one read stream over its buffer and keeps it for the caller: it is rewound, never disposed.
    /// </remarks>
    private static (ChatCompletionSummary? Summary, bool Empty) ReadBuffered(HttpContent content)
    {
        Stream stream = content.ReadAsStream();
        long length = stream.Length;
        if (length == 0)
        {
            return (null, true);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(checked((int)length));
        try
        {
            stream.ReadExactly(rented, 0, (int)length);
            stream.Position = 0;
            return (ChatCompletionBody.Read(rented.AsSpan(0, (int)length)), false);
        }
        catch (JsonException)
        {
            return (null, false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static GroqInvalidResponseException NotGroq(HttpResponseMessage response, string? model, string? requestId, string what)
    {
        string where = response.RequestMessage?.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Path) : "the configured base URL";
        return new GroqInvalidResponseException(
            $"The server at {where} answered {(int)response.StatusCode} with {what} instead of Groq's chat completion API. "
            + "Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1 (or the emulator's address), not a web page or a proxy's login page.",
            new GroqErrorDetails { StatusCode = (int)response.StatusCode, Model = model, RequestId = requestId });
    }

    private static string Describe(string? model) => model is null ? "the model" : $"model '{model}'";

    private static bool IsEventStream(string? mediaType) => string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(string mediaType)
        => mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}
