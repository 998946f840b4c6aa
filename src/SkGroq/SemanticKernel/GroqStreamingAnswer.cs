using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Errors;

namespace SkGroq.SemanticKernel;

/// <summary>
/// One streamed answer of <see cref="GroqChatCompletionService"/>: Semantic Kernel's connector stream, with the tool-use
/// repair before the first visible update and the answering model on every update.
/// </summary>
/// <remarks>
/// Written by hand instead of as an async iterator: once an update with text or a tool call has reached the caller, the repair
/// can no longer apply, so <see cref="Enumerator.MoveNextAsync"/> returns the connector's own <see cref="ValueTask{TResult}"/>
/// and an answer of a few hundred updates adds no async frame per update. An iterator would suspend and resume once more for
/// every update while the network is slower than the reader.
/// </remarks>
internal sealed class GroqStreamingAnswer : IAsyncEnumerable<StreamingChatMessageContent>
{
    private readonly OpenAIChatCompletionService _service;
    private readonly ChatHistory _history;
    private readonly PromptExecutionSettings? _settings;
    private readonly Kernel? _kernel;
    private readonly CancellationToken _cancellationToken;

    public GroqStreamingAnswer(OpenAIChatCompletionService service, ChatHistory history, PromptExecutionSettings? settings, Kernel? kernel, CancellationToken cancellationToken)
    {
        _service = service;
        _history = history;
        _settings = settings;
        _kernel = kernel;
        _cancellationToken = cancellationToken;
    }

    /// <inheritdoc />
    public IAsyncEnumerator<StreamingChatMessageContent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        // As an async iterator with [EnumeratorCancellation] would: either token cancels the answer.
        CancellationToken token = _cancellationToken;
        CancellationTokenSource? linked = null;
        if (cancellationToken.CanBeCanceled && cancellationToken != _cancellationToken)
        {
            if (_cancellationToken.CanBeCanceled)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
                token = linked.Token;
            }
            else
            {
                token = cancellationToken;
            }
        }

        return new Enumerator(this, linked, token);
    }

    private sealed class Enumerator(GroqStreamingAnswer answer, CancellationTokenSource? linked, CancellationToken cancellationToken)
        : IAsyncEnumerator<StreamingChatMessageContent>
    {
        private IAsyncEnumerator<StreamingChatMessageContent>? _inner;
        private ChatMessageContent? _repair;
        private bool _visible;
        private bool _disposed;

        public StreamingChatMessageContent Current
        {
            get
            {
                StreamingChatMessageContent? current = _inner?.Current;
                if (current is not null)
                {
                    // After a model fallback the answer comes from another model than the one asked for.
                    current.ModelId = GroqChatCompletionService.AnsweredBy(current.InnerContent) ?? current.ModelId;
                }

                return current!;
            }
        }

        public ValueTask<bool> MoveNextAsync()
        {
            if (_disposed)
            {
                return new(false);
            }

            return _visible ? _inner!.MoveNextAsync() : MoveNextUntilVisibleAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (_inner is { } inner)
                {
                    await inner.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                if (_repair is not null)
                {
                    answer._history.Remove(_repair);
                }

                linked?.Dispose();
            }
        }

        private async ValueTask<bool> MoveNextUntilVisibleAsync()
        {
            if (_inner is null && _repair is null)
            {
                // The first move: checked as the history is now, as an iterator would.
                GroqChatCompletionService.ThrowIfNoPrompt(answer._history);
            }

            while (true)
            {
                _inner ??= answer._service.GetStreamingChatMessageContentsAsync(answer._history, answer._settings, answer._kernel, cancellationToken).GetAsyncEnumerator(cancellationToken);
                bool moved;
                try
                {
                    moved = await _inner.MoveNextAsync().ConfigureAwait(false);
                }
                catch (GroqException ex) when (GroqChatCompletionService.IsToolUseFailure(ex))
                {
                    // Nothing reached the caller yet, so one repair attempt is invisible to it.
                    if (_repair is not null)
                    {
                        throw GroqChatCompletionService.RepairFailed(ex);
                    }

                    _repair = GroqChatCompletionService.AddRepairMessage(answer._history, ex);
                    IAsyncEnumerator<StreamingChatMessageContent> failed = _inner;
                    _inner = null;
                    await failed.DisposeAsync().ConfigureAwait(false);
                    continue;
                }

                if (!moved)
                {
                    return false;
                }

                // An empty update (the role chunk) carries nothing the caller can act on; text or a tool call does.
                StreamingChatMessageContent current = _inner.Current;
                _visible = !string.IsNullOrEmpty(current.Content) || current.Items.OfType<StreamingFunctionCallUpdateContent>().Any();
                return true;
            }
        }
    }
}
