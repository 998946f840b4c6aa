using SkGroq.KnowledgeBase;

namespace SkGroq.Tests.KnowledgeBase;

public sealed class KnowledgeBaseIndexTests
{
    private static readonly string s_samples = Path.Combine(AppContext.BaseDirectory, "samples", "kb");

    [Theory]
    [InlineData("How many unused vacation days can I carry over into next year?", "vacation-policy.md")]
    [InlineData("What is the hotel limit per night in capital cities?", "expense-policy.md")]
    [InlineData("Who is paged if the primary on-call engineer does not acknowledge?", "on-call-runbook.md")]
    [InlineData("How much does the Business plan of Orbit cost per user?", "product-faq.md")]
    [InlineData("How often must API keys be rotated?", "security-guidelines.md")]
    public async Task Search_SampleQuestions_RankTheRightDocumentFirst(string question, string expectedSource)
    {
        KnowledgeBaseIndex index = await KnowledgeBaseIndex.LoadAsync(s_samples, TestContext.Current.CancellationToken);

        IReadOnlyList<KnowledgeBaseHit> hits = index.Search(question, top: 3);

        Assert.NotEmpty(hits);
        Assert.Equal(expectedSource, hits[0].Passage.Source);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "hits are ordered best first");
    }

    [Fact]
    public async Task Search_UnrelatedOrEmptyQuery_ReturnsNothing()
    {
        KnowledgeBaseIndex index = await KnowledgeBaseIndex.LoadAsync(s_samples, TestContext.Current.CancellationToken);

        Assert.Empty(index.Search("quantum chromodynamics gluon", 3));
        Assert.Empty(index.Search("the and of", 3));
        Assert.Empty(index.Search("   ", 3));
    }

    [Fact]
    public async Task LoadAsync_SplitsMarkdownIntoSectionsTitledByHeading()
    {
        KnowledgeBaseIndex index = await KnowledgeBaseIndex.LoadAsync(s_samples, TestContext.Current.CancellationToken);

        Assert.Equal(6, index.DocumentCount);
        Assert.Contains(index.Passages, p => p.Source == "expense-policy.md" && p.Title == "Expense policy › Limits" && p.Text.Contains("180 EUR", StringComparison.Ordinal));
        Assert.DoesNotContain(index.Passages, p => p.Text.StartsWith('#'));
    }

    [Fact]
    public async Task LoadAsync_MissingFolder_SaysWhatToDo()
    {
        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => KnowledgeBaseIndex.LoadAsync("/no/such/folder", TestContext.Current.CancellationToken));
        Assert.Contains("--kb", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPassages_LongSectionIsSearchableAndPluralsMatchSingulars()
    {
        var index = KnowledgeBaseIndex.FromPassages([
            new KnowledgeBasePassage("a.md", "A", "Policies about holidays and days off."),
            new KnowledgeBasePassage("b.md", "B", "Nothing relevant here at all."),
        ]);

        Assert.Equal("a.md", Assert.Single(index.Search("policy holiday", 5)).Passage.Source);
    }

    [Fact]
    public void SearchPlugin_FormatsNumberedPassagesWithSources()
    {
        var index = KnowledgeBaseIndex.FromPassages([new KnowledgeBasePassage("faq.md", "FAQ › Plans", "The Team plan costs 8 USD.")]);
        var plugin = new KnowledgeBaseSearchPlugin(index);

        string text = plugin.Search("team plan cost");

        Assert.Equal("[1] (faq.md — FAQ › Plans)\nThe Team plan costs 8 USD.", text);
        Assert.StartsWith("No passages matched.", plugin.Search("unrelated words entirely"), StringComparison.Ordinal);
    }
}
