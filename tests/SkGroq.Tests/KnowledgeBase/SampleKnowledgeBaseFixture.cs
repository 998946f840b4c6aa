using SkGroq.KnowledgeBase;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>The sample documents indexed once into a real SQLite file, shared by the tests of a class.</summary>
public sealed class SampleKnowledgeBaseFixture : IAsyncLifetime
{
    private TempFolder? _folder;

    public LocalKnowledgeBase KnowledgeBase { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _folder = KnowledgeBaseTestSupport.CopySamples();
        KnowledgeBase = await LocalKnowledgeBase.OpenAsync(_folder.Docs, KnowledgeBaseTestSupport.Options(_folder.Index));
    }

    public ValueTask DisposeAsync()
    {
        KnowledgeBase.Dispose();
        _folder?.Dispose();
        return ValueTask.CompletedTask;
    }
}
