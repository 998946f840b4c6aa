using System.Text;
using CsCheck;
using SkGroq.Tokens;

namespace SkGroq.Tests.Tokens;

public sealed class OtherChatTemplateTests
{
    private static readonly TokenCounterProvider s_provider = TokenTestProviders.WithoutLlamaVocabulary;
    private static readonly ITokenCounter s_gptOss = s_provider.GetCounter("openai/gpt-oss-120b");
    private static readonly ITokenCounter s_qwen = s_provider.GetCounter("qwen/qwen3-32b");
    private static readonly ITokenCounter s_llama4 = s_provider.GetCounter("meta-llama/llama-4-scout-17b-16e-instruct");
    private static readonly ITokenCounter s_kimi = s_provider.GetCounter("moonshotai/kimi-k2-instruct-0905");
    private static readonly ITokenCounter s_unknown = s_provider.GetCounter("some-new-model");

    [Fact]
    public void GptOss_OneUserMessage_Is84()
    {
        Assert.Equal(84, s_gptOss.CountPromptTokens([new("user", "What is 2+2? Reply with just the number.")]));
        Assert.Equal(84, s_provider.CountPromptTokens("openai/gpt-oss-120b", [new("user", "What is 2+2? Reply with just the number.")]));
    }

    [Fact]
    public void GptOss_SystemText_AddsThreePlusContent()
    {
        int withoutSystem = s_gptOss.CountPromptTokens([new("user", "Hi")]);
        int withSystem = s_gptOss.CountPromptTokens([new("system", "Answer in French."), new("user", "Hi")]);

        Assert.Equal(71 + s_gptOss.CountTokens("Hi"), withoutSystem);
        Assert.Equal(withoutSystem + 3 + s_gptOss.CountTokens("Answer in French."), withSystem);
    }

    [Fact]
    public void GptOss_FurtherTurns_AddFourPlusContent()
    {
        int tokens = s_gptOss.CountPromptTokens([new("user", "Hi"), new("assistant", "Hello!"), new("user", "Bye")]);

        Assert.Equal(71 + Count(s_gptOss, "Hi") + (4 + Count(s_gptOss, "Hello!")) + (4 + Count(s_gptOss, "Bye")), tokens);
    }

    [Fact]
    public void GptOss_SystemTextStartingWithNewlines_CountsTheRenderedInstructions()
    {
        // "# Instructions\n\n" + "\n\nRules" renders one newline run: counting the pieces apart would over-count.
        int tokens = s_gptOss.CountPromptTokens([new("system", "\n\nRules")]);

        Assert.Equal(67 + Count(s_gptOss, "# Instructions\n\n\n\nRules"), tokens);
    }

    [Fact]
    public void GptOss_Completion_IncludesHarmonyStructure()
    {
        Assert.Equal(10, s_gptOss.EndOfTurnTokens);
        Assert.Equal(Count(s_gptOss, "4") + Count(s_gptOss, "Simple sum.") + 10, s_gptOss.CountCompletionTokens("4", "Simple sum."));
    }

    [Fact]
    public void Qwen3_ReasoningEffortNone_Is25()
    {
        PromptMessage[] messages = [new("user", "What is 2+2? Reply with just the number.")];

        Assert.Equal(25, s_qwen.CountPromptTokens(messages, reasoningEffort: "none"));
        Assert.Equal(21, s_qwen.CountPromptTokens(messages));
    }

    [Fact]
    public void Qwen3_CompletionWithThinking_AddsTheThinkFrame()
    {
        Assert.Equal(4, s_qwen.ReasoningFrameTokens);
        Assert.Equal(0, s_gptOss.ReasoningFrameTokens);
        Assert.Equal(Count(s_qwen, "4") + Count(s_qwen, "Two plus two.") + 4 + 1, s_qwen.CountCompletionTokens("4", "Two plus two."));
        Assert.Equal(Count(s_qwen, "4") + 1, s_qwen.CountCompletionTokens("4"));
    }

    [Fact]
    public void Qwen3_EarlierThinking_IsDroppedFromHistory()
    {
        int withThinking = s_qwen.CountPromptTokens([new("user", "Hi"), new("assistant", "<think>\nThe user greets me.\n</think>\n\nHello!")]);
        int without = s_qwen.CountPromptTokens([new("user", "Hi"), new("assistant", "Hello!")]);

        Assert.Equal(without, withThinking);
    }

    [Fact]
    public void ChatML_AnyMessages_EqualsCountingTheRenderedPrompt()
    {
        TokenTestText.Messages.Sample(
            messages => s_qwen.CountPromptTokens(messages) == s_qwen.CountTokens(RenderChatML(messages)),
            iter: 300,
            print: messages => string.Join(" | ", messages.Select(m => $"{m.Role}: {m.Content}")));
    }

    [Fact]
    public void Llama4_Messages_AreFivePlusFivePerMessage()
    {
        int tokens = s_llama4.CountPromptTokens([new("system", "Be brief."), new("user", "Hi")]);

        Assert.Equal(5 + (5 + Count(s_llama4, "Be brief.")) + (5 + Count(s_llama4, "Hi")), tokens);
    }

    [Fact]
    public void Llama4_AnyMessages_EqualsCountingTheRenderedPrompt()
    {
        TokenTestText.Messages.Sample(messages => s_llama4.CountPromptTokens(messages) == s_llama4.CountTokens(RenderLlama4(messages)), iter: 300);
    }

    [Fact]
    public void Kimi_NoSystem_AddsTheDefaultSystemPrompt()
    {
        int withoutSystem = s_kimi.CountPromptTokens([new("user", "Hi")]);
        int withSystem = s_kimi.CountPromptTokens([new("system", "Be brief."), new("user", "Hi")]);

        Assert.Equal(3 + 1 + Count(s_kimi, "You are Kimi, an AI assistant created by Moonshot AI.") + (4 + Count(s_kimi, "Hi")) + 3, withoutSystem);
        Assert.Equal(4 + Count(s_kimi, "Be brief.") + (4 + Count(s_kimi, "Hi")) + 3, withSystem);
    }

    [Fact]
    public void Unknown_UsesChatMLArithmetic()
    {
        Assert.Equal(3 + 5 + Count(s_unknown, "Hi"), s_unknown.CountPromptTokens([new("user", "Hi")]));
    }

    private static int Count(ITokenCounter counter, string text) => counter.CountTokens(text);

    private static string RenderChatML(IEnumerable<PromptMessage> messages)
    {
        var prompt = new StringBuilder();
        foreach (PromptMessage message in messages)
        {
            prompt.Append("<|im_start|>").Append(message.Role).Append('\n').Append(Unthink(message)).Append("<|im_end|>\n");
        }

        return prompt.Append("<|im_start|>assistant\n").ToString();

        static string? Unthink(PromptMessage message)
        {
            int end = message.Content?.LastIndexOf("</think>", StringComparison.Ordinal) ?? -1;
            return message.Role == "assistant" && end >= 0 ? message.Content![(end + 8)..].TrimStart('\n') : message.Content;
        }
    }

    private static string RenderLlama4(IEnumerable<PromptMessage> messages)
    {
        var prompt = new StringBuilder("<|begin_of_text|>");
        foreach (PromptMessage message in messages)
        {
            prompt.Append("<|header_start|>").Append(message.Role).Append("<|header_end|>\n\n").Append(message.Content).Append("<|eot|>");
        }

        return prompt.Append("<|header_start|>assistant<|header_end|>\n\n").ToString();
    }
}
