using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.KnowledgeBase.Agent;
using SkGroq.Tests.Console;
using SkGroq.Tests.Integration;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>The knowledge-base agent against the emulator: tool calling, pre-retrieval, citation checking and exact turn usage.</summary>
public sealed class KnowledgeBaseAgentTests(SampleKnowledgeBaseFixture kb) : IClassFixture<SampleKnowledgeBaseFixture>
{
    private const string Model = "llama-3.1-8b-instant";
    private const string Question = "Can I take time off to look after a newborn?";
    private const string Final = "Birth parents receive 16 weeks of fully paid parental leave [S1].";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AskAsync_ToolMode_SearchesThroughAToolCallAndCitesTheRightPassage(bool stream)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        ScriptToolTurn(host, Final);
        var agent = new KnowledgeBaseAgent(host.Kernel, kb.KnowledgeBase.Searcher);
        var streamed = new System.Text.StringBuilder();

        KnowledgeBaseAnswer answer = await agent.AskAsync(Question, stream ? t => streamed.Append(t) : null, Model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Final, answer.Text);
        Assert.Equal(stream ? Final : string.Empty, streamed.ToString());
        Assert.Equal(["time off to look after a newborn"], answer.Searches);
        Assert.Equal(KnowledgeBaseRetrieval.Tool, answer.Retrieval);
        KnowledgeBaseCitation citation = Assert.Single(answer.Citations);
        Assert.True(citation.IsValid);
        Assert.Equal(("S1", "parental-leave.md"), (citation.Label, citation.Hit!.Chunk.Source));
        Assert.Equal(["parental-leave.md"], answer.CitedSources);

        // The turn's usage is the sum of both round trips (the tool call and the final answer), as the emulator charged them.
        EmulatorUsage charged = host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model);
        Assert.Equal(2, charged.Requests);
        Assert.Equal(2, answer.Usage.Requests);
        Assert.Equal(charged.PromptTokens, answer.Usage.PromptTokens);
        Assert.Equal(charged.CompletionTokens, answer.Usage.CompletionTokens);
    }

    [Fact]
    public async Task AskAsync_ToolMode_TheToolResultCarriesNumberedPassagesWithSourceAndLines()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        string? toolResult = null;
        host.Emulator.Script.When(r => r.HasTools && !r.HasToolResults, ScriptedReply.ToolCall("knowledge_base-search", """{"query":"time off to look after a newborn"}"""));
        host.Emulator.Script.When(
            r =>
            {
                toolResult ??= r.Messages.FirstOrDefault(m => m.Role == "tool")?.Content;
                return r.HasToolResults;
            },
            ScriptedReply.Text(Final));
        var agent = new KnowledgeBaseAgent(host.Kernel, kb.KnowledgeBase.Searcher);

        await agent.AskAsync(Question, model: Model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(toolResult);
        Assert.StartsWith("[S1] parental-leave.md › Parental leave", toolResult, StringComparison.Ordinal);
        Assert.Contains("(lines ", toolResult, StringComparison.Ordinal);
        Assert.Contains("[S2]", toolResult, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskAsync_CitationOfAPassageNotGiven_IsFlagged()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        ScriptToolTurn(host, "Sixteen weeks [S1], or maybe twenty [S9].");
        var agent = new KnowledgeBaseAgent(host.Kernel, kb.KnowledgeBase.Searcher);

        KnowledgeBaseAnswer answer = await agent.AskAsync(Question, model: Model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["S1", "S9"], answer.Citations.Select(c => c.Label));
        KnowledgeBaseCitation invalid = Assert.Single(answer.InvalidCitations);
        Assert.Equal("S9", invalid.Label);
        Assert.Null(invalid.Hit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AskAsync_PreRetrieval_AnswersInOneRoundTripWithThePassagesInThePrompt(bool stream)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        string? system = null;
        host.Emulator.Script.When(
            r =>
            {
                system = r.Messages.First(m => m.Role == "system").Content;
                return !r.HasTools;
            },
            ScriptedReply.Text(Final));
        var agent = new KnowledgeBaseAgent(host.Kernel, kb.KnowledgeBase.Searcher);

        KnowledgeBaseAnswer answer = await agent.AskAsync(Question, stream ? _ => { } : null, Model, KnowledgeBaseRetrieval.Pre, TestContext.Current.CancellationToken);

        Assert.Equal(Final, answer.Text);
        Assert.Equal(1, host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model).Requests);
        Assert.Equal(1, answer.Usage.Requests);
        Assert.Contains("[S1] parental-leave.md", system, StringComparison.Ordinal);
        Assert.Contains("16 weeks", system, StringComparison.Ordinal);
        Assert.Equal("parental-leave.md", Assert.Single(answer.Citations).Hit!.Chunk.Source);
        Assert.Equal([Question], answer.Searches);
    }

    [Fact]
    public async Task AskAsync_DocumentsDoNotAnswer_TheModelIsToldToSaySoAndItsAnswerHasNoCitations()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();

        // The emulator answers like an obedient model: with the sentence the instructions ask for, when they ask for it.
        host.Emulator.Script.When(
            r => r.Messages.Any(m => m.Role == "system" && m.Content?.Contains(KnowledgeBaseAgent.NotInDocuments, StringComparison.Ordinal) == true),
            ScriptedReply.Text(KnowledgeBaseAgent.NotInDocuments));
        var agent = new KnowledgeBaseAgent(host.Kernel, kb.KnowledgeBase.Searcher);

        KnowledgeBaseAnswer answer = await agent.AskAsync("What is the policy on bringing dogs to the office?", model: Model, retrieval: KnowledgeBaseRetrieval.Pre, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(KnowledgeBaseAgent.NotInDocuments, answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task AskAsync_RecordsAreTaggedWithTheCallersConversation()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        ScriptToolTurn(host, Final);
        var agent = new KnowledgeBaseAgent(host.Kernel, kb.KnowledgeBase.Searcher);

        using GroqRequestScope conversation = GroqRequestContext.Begin(new GroqRequestOptions { ConversationId = "kb-7" });
        await agent.AskAsync(Question, model: Model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, conversation.Records.Count);
        Assert.All(conversation.Records, r => Assert.Equal(("kb-7", "kb-agent"), (r.ConversationId, r.Feature)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolUseFailed_IsRepairedOnceWithTheValidationErrorFedBack(bool stream)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();

        // First answer: a call to a tool that was not offered (Groq's 400 tool_use_failed); after the repair message, a valid call.
        host.Emulator.Script.When(r => r.HasTools && !r.HasToolResults && !Repairing(r), ScriptedReply.ToolCall("delete_everything", "{}"), times: 1);
        host.Emulator.Script.When(r => r.HasTools && !r.HasToolResults && Repairing(r), ScriptedReply.ToolCall("knowledge_base-search", """{"query":"parental leave"}"""));
        host.Emulator.Script.When(r => r.HasToolResults, ScriptedReply.Text(Final));
        var agent = new KnowledgeBaseAgent(host.Kernel, kb.KnowledgeBase.Searcher);

        KnowledgeBaseAnswer answer = await agent.AskAsync(Question, stream ? _ => { } : null, Model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Final, answer.Text);
        Assert.Equal(3, host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model).Requests);
    }

    [Fact]
    public async Task ToolUseFailed_Twice_FailsWithActionableError()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.When(r => r.HasTools, ScriptedReply.ToolCall("delete_everything", "{}"));
        var history = new ChatHistory();
        history.AddUserMessage("Search the docs.");
        Kernel kernel = host.Kernel.Clone();
        kernel.Plugins.AddFromObject(new KnowledgeBaseSearchPlugin(new KnowledgeBaseTextSearch(kb.KnowledgeBase.Searcher), new KnowledgeBaseSources()), KnowledgeBaseSearchPlugin.PluginName);

        var ex = await Assert.ThrowsAsync<GroqToolUseFailedException>(() => host.Chat.GetChatMessageContentAsync(
            history,
            new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel,
            TestContext.Current.CancellationToken));

        Assert.Contains("invalid tool call twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Simplify the tools' parameter schemas", ex.Message, StringComparison.Ordinal);
        Assert.Single(history);
    }

    [Theory]
    [InlineData("tool", 2)]
    [InlineData("pre", 1)]
    public async Task AskCommand_SampleDocuments_StreamsAnAnswerCitingSourcesThatExist(string retrieval, int roundTrips)
    {
        await using SkGroq.Emulator.GroqEmulator emulator = await SkGroq.Emulator.GroqEmulator.StartAsync(
            new SkGroq.Emulator.GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);
        emulator.Script.When(r => r.HasTools && !r.HasToolResults, ScriptedReply.ToolCall("knowledge_base-search", """{"query":"parental leave for a newborn"}"""));
        emulator.Script.When(_ => true, ScriptedReply.Text(Final));
        using var folder = new TempFolder();

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "ask", "--kb", KnowledgeBaseTestSupport.Samples, Question, "--index", folder.Index, "--retrieval", retrieval, "--json");

        Assert.Equal(0, result.ExitCode);
        System.Text.Json.JsonElement json = result.Json();
        Assert.Equal(Final, json.GetProperty("answer").GetString());
        System.Text.Json.JsonElement citation = json.GetProperty("citations")[0];
        Assert.Equal(("S1", true, "parental-leave.md"), (citation.GetProperty("label").GetString(), citation.GetProperty("valid").GetBoolean(), citation.GetProperty("source").GetString()));
        Assert.Equal(roundTrips, json.GetProperty("usage").GetProperty("requests").GetInt32());
        Assert.Contains("Indexing", result.Stderr, StringComparison.Ordinal);
    }

    private static void ScriptToolTurn(PipelineHost host, string final)
    {
        host.Emulator.Script.When(r => r.HasTools && !r.HasToolResults, ScriptedReply.ToolCall("knowledge_base-search", """{"query":"time off to look after a newborn"}"""));
        host.Emulator.Script.When(r => r.HasToolResults, ScriptedReply.Text(final));
    }

    private static bool Repairing(EmulatorRequest request)
        => request.Messages.Any(m => m.Content?.Contains("tool call was invalid", StringComparison.Ordinal) == true);
}
