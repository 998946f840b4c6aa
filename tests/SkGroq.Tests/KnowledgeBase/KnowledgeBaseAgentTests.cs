using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.KnowledgeBase;
using SkGroq.Tests.Console;
using SkGroq.Tests.Integration;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>Tool calling through Groq (the emulator's scripted tool calls) with Semantic Kernel's automatic invocation.</summary>
public sealed class KnowledgeBaseAgentTests
{
    private const string Model = "llama-3.1-8b-instant";
    private const string Final = "Up to 5 unused vacation days carry over into the first quarter of the next year [vacation-policy.md].";
    private static readonly string s_samples = Path.Combine(AppContext.BaseDirectory, "samples", "kb");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AskAsync_ScriptedToolCall_InvokesNativeSearchAndCitesTheRightDocument(bool stream)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        ScriptToolTurn(host);
        var agent = new KnowledgeBaseAgent(host.Kernel, await KnowledgeBaseIndex.LoadAsync(s_samples, TestContext.Current.CancellationToken));
        var streamed = new System.Text.StringBuilder();

        KnowledgeBaseAnswer answer = await agent.AskAsync(
            "How many vacation days can I carry over?",
            stream ? t => streamed.Append(t) : null,
            Model,
            TestContext.Current.CancellationToken);

        Assert.Equal(Final, answer.Text);
        Assert.Equal(stream ? Final : string.Empty, streamed.ToString());
        Assert.Equal(["vacation days carry over"], answer.Searches);
        Assert.Equal("vacation-policy.md", answer.Retrieved[0].Passage.Source);
        Assert.Equal(["vacation-policy.md"], answer.CitedSources);

        // The turn's usage is the sum of both round trips (the tool call and the final answer), as the emulator charged them.
        EmulatorUsage charged = host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model);
        Assert.Equal(2, charged.Requests);
        Assert.Equal(2, answer.Usage.Requests);
        Assert.Equal(charged.PromptTokens, answer.Usage.PromptTokens);
        Assert.Equal(charged.CompletionTokens, answer.Usage.CompletionTokens);
    }

    [Fact]
    public async Task AskAsync_RecordsAreTaggedWithTheCallersConversation()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        ScriptToolTurn(host);
        var agent = new KnowledgeBaseAgent(host.Kernel, await KnowledgeBaseIndex.LoadAsync(s_samples, TestContext.Current.CancellationToken));

        using GroqRequestScope conversation = GroqRequestContext.Begin(new GroqRequestOptions { ConversationId = "kb-7" });
        await agent.AskAsync("How many vacation days can I carry over?", model: Model, cancellationToken: TestContext.Current.CancellationToken);

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
        host.Emulator.Script.When(r => r.HasTools && !r.HasToolResults && Repairing(r), ScriptedReply.ToolCall("knowledge_base-search", """{"query":"vacation days carry over"}"""));
        host.Emulator.Script.When(r => r.HasToolResults, ScriptedReply.Text(Final));
        var agent = new KnowledgeBaseAgent(host.Kernel, await KnowledgeBaseIndex.LoadAsync(s_samples, TestContext.Current.CancellationToken));

        KnowledgeBaseAnswer answer = await agent.AskAsync("How many vacation days can I carry over?", stream ? _ => { } : null, Model, TestContext.Current.CancellationToken);

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
        kernel.Plugins.AddFromObject(new KnowledgeBaseSearchPlugin(KnowledgeBaseIndex.FromPassages([new("a.md", "A", "text")])), KnowledgeBaseSearchPlugin.PluginName);

        var ex = await Assert.ThrowsAsync<GroqToolUseFailedException>(() => host.Chat.GetChatMessageContentAsync(
            history,
            new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel,
            TestContext.Current.CancellationToken));

        Assert.Contains("invalid tool call twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Simplify the tools' parameter schemas", ex.Message, StringComparison.Ordinal);
        Assert.Single(history);
    }

    [Fact]
    public async Task AskCommand_SampleDocuments_AnswersCitingTheRightDocument()
    {
        await using SkGroq.Emulator.GroqEmulator emulator = await SkGroq.Emulator.GroqEmulator.StartAsync(
            new SkGroq.Emulator.GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);
        emulator.Script.When(r => r.HasTools && !r.HasToolResults, ScriptedReply.ToolCall("knowledge_base-search", """{"query":"vacation days carry over"}"""));
        emulator.Script.When(r => r.HasToolResults, ScriptedReply.Text(Final));

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "ask", "--kb", s_samples, "How many vacation days can I carry over?", "--json");

        Assert.Equal(0, result.ExitCode);
        System.Text.Json.JsonElement json = result.Json();
        Assert.Equal(Final, json.GetProperty("answer").GetString());
        Assert.Equal("vacation-policy.md", json.GetProperty("sources")[0].GetString());
        Assert.Equal(2, json.GetProperty("usage").GetProperty("requests").GetInt32());
    }

    private static void ScriptToolTurn(PipelineHost host)
    {
        host.Emulator.Script.When(r => r.HasTools && !r.HasToolResults, ScriptedReply.ToolCall("knowledge_base-search", """{"query":"vacation days carry over"}"""));
        host.Emulator.Script.When(r => r.HasToolResults, ScriptedReply.Text(Final));
    }

    private static bool Repairing(SkGroq.Emulator.Scripting.EmulatorRequest request)
        => request.Messages.Any(m => m.Content?.Contains("tool call was invalid", StringComparison.Ordinal) == true);
}
