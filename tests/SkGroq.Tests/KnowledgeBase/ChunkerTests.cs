using SkGroq.KnowledgeBase.Ingestion;

namespace SkGroq.Tests.KnowledgeBase;

public sealed class ChunkerTests
{
    private static readonly Chunker s_chunker = new(KnowledgeBaseTestSupport.AnswerTokens, KnowledgeBaseTestSupport.Embedder, new ChunkerOptions { MaxChunkTokens = 64, OverlapTokens = 16 });

    [Fact]
    public void Cut_SectionThatFits_IsOneChunkWithoutOverlap()
    {
        var section = new DocumentSection("Doc › Part", [(3, "A short paragraph."), (4, "Second line.")]);

        Chunk chunk = Assert.Single(s_chunker.Cut([section]));

        Assert.Equal(("Doc › Part", 3, 4, "A short paragraph.\nSecond line."), (chunk.Heading, chunk.LineStart, chunk.LineEnd, chunk.Text));
        Assert.Equal(KnowledgeBaseTestSupport.AnswerTokens(chunk.Text), chunk.Tokens);
    }

    [Fact]
    public void Cut_LongSection_IsCutAtParagraphsWithinBothBudgetsAndOverlapsOnlyThere()
    {
        var lines = new List<(int, string)>();
        for (int p = 0; p < 12; p++)
        {
            lines.Add(((p * 3) + 1, $"Paragraph {p} talks about rule number {p} of the handbook in a few words."));
            lines.Add(((p * 3) + 2, $"It has a second line {p}."));
            lines.Add(((p * 3) + 3, string.Empty));
        }

        IReadOnlyList<Chunk> chunks = s_chunker.Cut([new DocumentSection("Handbook", lines)]);

        Assert.True(chunks.Count > 2);
        Assert.All(chunks, c => Assert.True(c.Tokens <= 64, $"{c.Tokens} answer tokens"));
        Assert.All(chunks, c => Assert.True(KnowledgeBaseTestSupport.Embedder.CountTokens(c.EmbeddingInput) <= KnowledgeBaseTestSupport.Embedder.MaxInputTokens));
        Assert.Equal(1, chunks[0].LineStart);
        Assert.Equal(35, chunks[^1].LineEnd);

        // Consecutive chunks overlap by whole paragraphs (the next starts at or before the previous one's end), and cover everything.
        for (int i = 1; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].LineStart <= chunks[i - 1].LineEnd + 2, $"gap between chunk {i - 1} and {i}");
            Assert.True(chunks[i].LineStart > chunks[i - 1].LineStart);
        }
    }

    [Fact]
    public void Cut_OneGiantLine_IsCutAtWordsOnThatLine()
    {
        string line = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}"));

        IReadOnlyList<Chunk> chunks = s_chunker.Cut([new DocumentSection("Dump", [(7, line)])]);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.Equal((7, 7), (c.LineStart, c.LineEnd)));
        Assert.All(chunks, c => Assert.True(c.Tokens <= 64));
        Assert.Contains("word0 ", chunks[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("word399", chunks[^1].Text, StringComparison.Ordinal);
    }
}
