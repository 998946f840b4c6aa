using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.Tests.Integration;

namespace SkGroq.Tests.SemanticKernel;

/// <summary>The streamed answers of <c>GroqChatCompletionService</c> through the real pipeline and emulator.</summary>
public sealed class GroqStreamingAnswerTests
{
    private const string Answer = "The capital of France is Paris, on the Seine.";

    [Fact]
    public async Task Streaming_ToolUseFailedTwice_ThrowsActionableError_AndLeavesTheHistoryAsItWas()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        Kernel kernel = host.Kernel.Clone();
        kernel.Plugins.AddFromFunctions("docs", [KernelFunctionFactory.CreateFromMethod((string query) => "nothing", "search")]);
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        // Every answer calls a tool that was not offered: Groq's tool_use_failed, before and after the repair message.
        host.Emulator.Script.When(r => r.HasTools, ScriptedReply.ToolCall("delete_everything", "{}"));
        ChatHistory history = Question("Search the docs.");

        var ex = await Assert.ThrowsAsync<GroqToolUseFailedException>(async () =>
        {
            await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(history, settings, kernel, TestContext.Current.CancellationToken))
            {
                // At most the role chunk, which carries nothing to act on: no text, no tool call.
                Assert.True(string.IsNullOrEmpty(update.Content), $"no text should reach the caller, got '{update.Content}'");
                Assert.Empty(update.Items.OfType<StreamingFunctionCallUpdateContent>());
            }
        });

        Assert.Contains("invalid tool call twice", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, host.Emulator.Accounting.Get(host.Emulator.ApiKey, "llama-3.1-8b-instant").Requests);

        // The repair message was the service's own: the caller's history is as it was.
        Assert.Equal("Search the docs.", Assert.Single(history).Content);
    }

    [Fact]
    public async Task Streaming_TheEnumeratorsToken_CancelsTheAnswer()
    {
        await using PipelineHost host = await StartPacedAsync();
        ChatHistory history = Question("What is the capital of France?");
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        int texts = 0;

        // The method gets no token; only WithCancellation's reaches the enumerator.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
#pragma warning disable xUnit1051 // On purpose: the token must reach the enumerator only, as WithCancellation hands it over.
            await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(history).WithCancellation(leave.Token))
#pragma warning restore xUnit1051
            {
                if (!string.IsNullOrEmpty(update.Content) && ++texts == 2)
                {
                    await leave.CancelAsync();
                }
            }
        });

        Assert.Equal(2, texts);
    }

    [Fact]
    public async Task Streaming_BothTokens_EitherCancelsTheAnswer()
    {
        await using PipelineHost host = await StartPacedAsync();
        ChatHistory history = Question("Where is Paris?");
        using var method = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var enumerator = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        int texts = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(history, cancellationToken: method.Token).WithCancellation(enumerator.Token))
            {
                if (!string.IsNullOrEmpty(update.Content) && ++texts == 1)
                {
                    await method.CancelAsync();
                }
            }
        });

        Assert.Equal(1, texts);
        Assert.False(enumerator.IsCancellationRequested);
    }

    [Fact]
    public async Task Streaming_AnEmptyPrompt_IsRefusedWhenEnumerated()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        ChatHistory history = Question("Hi");

        IAsyncEnumerable<StreamingChatMessageContent> answer = host.Chat.GetStreamingChatMessageContentsAsync(history, cancellationToken: TestContext.Current.CancellationToken);

        // Checked when enumerated, as the history is then: the last user message was blanked in between.
        history[0].Content = "   ";

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (StreamingChatMessageContent update in answer)
            {
                Assert.Fail("nothing is sent for an empty prompt");
            }
        });

        Assert.Contains("empty or only whitespace", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Emulator.Accounting.Get(host.Emulator.ApiKey, "llama-3.1-8b-instant").Requests);
    }

    /// <summary>An emulator that streams at 50 tokens a second, so a reader can leave in the middle of the answer.</summary>
    private static async Task<PipelineHost> StartPacedAsync()
    {
        PipelineHost host = await PipelineHost.StartAsync(e => e.TokensPerSecond = 50);
        host.Emulator.Script.Always(ScriptedReply.Text(Answer));
        return host;
    }

    private static ChatHistory Question(string text)
    {
        var history = new ChatHistory();
        history.AddUserMessage(text);
        return history;
    }
}
