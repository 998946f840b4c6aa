using SkGroq.KnowledgeBase;
using SkGroq.Tokens;

namespace SkGroq.Web;

/// <summary>The knowledge base the page's "Knowledge base" mode answers from (<c>Web:KnowledgeBase</c>), opened (and indexed) on first use.</summary>
internal sealed class WebKnowledgeBase(string? folder, string? indexPath, TokenCounterProvider counters, string model) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LocalKnowledgeBase? _opened;

    /// <summary>Gets the folder; <see langword="null"/> when the mode is off (no folder configured or found).</summary>
    public string? Folder { get; } = folder is not null && Directory.Exists(folder) ? Path.GetFullPath(folder) : null;

    public async Task<LocalKnowledgeBase> OpenAsync(Action<string> status, CancellationToken cancellationToken)
    {
        if (Folder is null)
        {
            throw new InvalidOperationException("No knowledge base is configured: set Web:KnowledgeBase to a folder of .md, .txt or .pdf files.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_opened is null)
            {
                status($"Opening the knowledge base {Path.GetFileName(Folder)} (indexing it when it changed)…");
                ITokenCounter counter = counters.GetCounter(model);
                _opened = await LocalKnowledgeBase.OpenAsync(Folder, new LocalKnowledgeBaseOptions { IndexPath = indexPath, CountAnswerTokens = text => counter.CountTokens(text) }, cancellationToken: cancellationToken);
            }

            return _opened;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _opened?.Dispose();
        _gate.Dispose();
    }
}
