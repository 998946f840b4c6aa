using System.Text.Json;
using SkGroq.Tests.Console;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>The <c>kb</c> commands as a user runs them (in-process console, real index file, no server needed).</summary>
public sealed class KbCommandTests
{
    [Fact]
    public async Task KbIndex_Twice_TheSecondRunEmbedsNothing()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();

        ConsoleResult first = await ConsoleRunner.RunAsync("kb", "index", folder.Docs, "--index", folder.Index, "--json");
        ConsoleResult second = await ConsoleRunner.RunAsync("kb", "index", folder.Docs, "--index", folder.Index, "--json");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        JsonElement a = first.Json();
        JsonElement b = second.Json();
        Assert.Equal(13, a.GetProperty("documents").GetInt32());
        Assert.Equal(a.GetProperty("chunks").GetInt32(), a.GetProperty("chunks_embedded").GetInt32());
        Assert.Equal("all-MiniLM-L6-v2/384", a.GetProperty("embedder").GetString());
        Assert.Equal((0, 13), (b.GetProperty("chunks_embedded").GetInt32(), b.GetProperty("unchanged").GetInt32()));
    }

    [Fact]
    public async Task KbSearch_Json_HitsCarrySourceHeadingLinesScoreAndText()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();

        ConsoleResult result = await ConsoleRunner.RunAsync("kb", "search", "--kb", folder.Docs, "--index", folder.Index, "time off for a newborn", "--top", "3", "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement hits = result.Json().GetProperty("hits");
        Assert.Equal(3, hits.GetArrayLength());
        JsonElement first = hits[0];
        Assert.Equal("parental-leave.md", first.GetProperty("source").GetString());
        Assert.StartsWith("Parental leave", first.GetProperty("heading").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d+-\d+$", first.GetProperty("lines").GetString());
        Assert.True(first.GetProperty("score").GetDouble() > 0);
        Assert.False(string.IsNullOrWhiteSpace(first.GetProperty("text").GetString()));
        Assert.Contains("Indexing", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KbStats_AfterAnEdit_SaysTheIndexIsNotCurrent()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        await ConsoleRunner.RunAsync("kb", "index", folder.Docs, "--index", folder.Index, "--json");
        folder.Write("new-policy.md", "# New policy\n\nBikes may be parked in the basement.");

        ConsoleResult result = await ConsoleRunner.RunAsync("kb", "stats", "--kb", folder.Docs, "--index", folder.Index, "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement stats = result.Json();
        Assert.Equal(13, stats.GetProperty("documents").GetInt32());
        Assert.False(stats.GetProperty("current").GetBoolean());
        Assert.Equal("new-policy.md is new", stats.GetProperty("stale").GetString());
        Assert.Equal("1", stats.GetProperty("schema_version").GetString());
    }

    [Theory]
    [InlineData("missing-folder", "does not exist")]
    [InlineData("empty-folder", "holds no .md, .markdown, .txt or .pdf files")]
    public async Task KbIndex_BadFolder_ExitsWithUsageAndSaysWhatToDo(string which, string expected)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Root, which);
        if (which == "empty-folder")
        {
            Directory.CreateDirectory(path);
        }

        ConsoleResult result = await ConsoleRunner.RunAsync("kb", "index", path, "--index", folder.Index);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "--mode", "hybrid", "The query is empty")]
    [InlineData("vacation", "--mode", "fuzzy", "--mode 'fuzzy' is not a retrieval mode. Use hybrid, vector or keyword.")]
    [InlineData("vacation", "--embedder", "bert-huge", "'bert-huge' is not a local embedding model")]
    public async Task KbSearch_BadInput_ExitsWithUsageAndSaysWhatToDo(string query, string option, string value, string expected)
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();

        ConsoleResult result = await ConsoleRunner.RunAsync("kb", "search", "--kb", folder.Docs, "--index", folder.Index, query, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tool", 2)]
    [InlineData("pre", 1)]
    public async Task Ask_WithoutAKey_TheBuiltInEmulatorSearchesAndCitesAPassageThatExists(string retrieval, int roundTrips)
    {
        using var folder = new TempFolder();

        ConsoleResult result = await ConsoleRunner.RunAsync("ask", "--kb", KnowledgeBaseTestSupport.Samples, "--index", folder.Index, "How many vacation days carry over?", "--retrieval", retrieval, "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement json = result.Json();
        Assert.StartsWith("The knowledge base says: ", json.GetProperty("answer").GetString(), StringComparison.Ordinal);
        JsonElement citation = json.GetProperty("citations")[0];
        Assert.True(citation.GetProperty("valid").GetBoolean());
        Assert.Equal("vacation-policy.md", citation.GetProperty("source").GetString());
        Assert.Equal(roundTrips, json.GetProperty("usage").GetProperty("requests").GetInt32());
        Assert.Contains("built-in Groq emulator", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KbIndex_ConfiguredEmbeddingsEndpointThatFails_SaysWhichSettingsToCheck()
    {
        // Groq (and so the emulator) serves no embeddings: a configured endpoint that answers 404 must be reported, not crash.
        await using SkGroq.Emulator.GroqEmulator emulator = await SkGroq.Emulator.GroqEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        var configuration = new Dictionary<string, string?>
        {
            ["KnowledgeBase:Embeddings:Endpoint"] = emulator.BaseUrl.AbsoluteUri,
            ["KnowledgeBase:Embeddings:Model"] = "text-embedding-3-small",
            ["KnowledgeBase:Embeddings:ApiKey"] = emulator.ApiKey,
        };

        ConsoleResult result = await ConsoleRunner.RunAsync(configuration, null, "kb", "index", folder.Docs, "--index", folder.Index);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("The embeddings endpoint failed (HTTP 404", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("KnowledgeBase:Embeddings:Endpoint", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.ApiKey, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Index) && new FileInfo(folder.Index).Length > 0 && await HasChunksAsync(folder.Index));
    }

    [Fact]
    public async Task KbSearch_DamagedIndexFile_IsRebuiltSayingWhy_NeverAnsweredFrom()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        await File.WriteAllTextAsync(folder.Index, new string('x', 4096), TestContext.Current.CancellationToken);

        ConsoleResult result = await ConsoleRunner.RunAsync("kb", "search", "--kb", folder.Docs, "--index", folder.Index, "premium economy", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("is damaged", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("expense-policy.md", result.Json().GetProperty("hits")[0].GetProperty("source").GetString());
    }

    private static async Task<bool> HasChunksAsync(string index)
    {
        using var store = new SkGroq.KnowledgeBase.Storage.SqliteKnowledgeBaseStore(index);
        return (await store.CountAsync(TestContext.Current.CancellationToken)).Chunks > 0;
    }
}
