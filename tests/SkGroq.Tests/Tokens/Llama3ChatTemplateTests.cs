using System.Text;
using CsCheck;
using SkGroq.Tokens;
using SkGroq.Tokens.Templates;

namespace SkGroq.Tests.Tokens;

public sealed class Llama3ChatTemplateTests
{
    private static readonly ITokenCounter s_llama = TokenTestProviders.WithoutLlamaVocabulary.GetCounter("llama-3.3-70b-versatile");

    [Fact]
    public void CountPromptTokens_SystemAndUser_Is48()
    {
        int tokens = s_llama.CountPromptTokens([new("system", "You are a helpful assistant."), new("user", "What is the capital of France?")]);

        Assert.Equal(48, tokens);
    }

    [Fact]
    public void CountPromptTokens_UserOnly_Is41()
    {
        Assert.Equal(41, s_llama.CountPromptTokens([new("user", "Say hello in onesentence.")]));
    }

    [Fact]
    public void CountCompletionTokens_Answer_IncludesEndOfTurn()
    {
        Assert.Equal(8, s_llama.CountCompletionTokens("The capital of France is Paris."));
        Assert.Equal(1, s_llama.EndOfTurnTokens);
    }

    [Fact]
    public void CountPromptTokens_NoMessages_IsTheFixed30()
    {
        Assert.Equal(30, s_llama.CountPromptTokens([]));
        Assert.Equal(30, ((TokenCounter)s_llama).Template is Llama3ChatTemplate template ? template.FixedTokens : -1);
    }

    [Fact]
    public void CountPromptTokens_MultiTurn_Is30PlusSystemPlusFivePerMessage()
    {
        PromptMessage[] messages =
        [
            new("system", "Be brief."),
            new("user", "Hi there"),
            new("assistant", "Hello! How can I help?"),
            new("user", "Tell me a joke about tokens."),
        ];

        int expected = 30 + Count("Be brief.") + (5 + Count("Hi there")) + (5 + Count("Hello! How can I help?")) + (5 + Count("Tell me a joke about tokens."));

        Assert.Equal(expected, s_llama.CountPromptTokens(messages));
    }

    [Fact]
    public void CountPromptTokens_ContentWithSurroundingWhitespace_IsTrimmed()
    {
        int plain = s_llama.CountPromptTokens([new("system", "Rules."), new("user", "Question?")]);
        int padded = s_llama.CountPromptTokens([new("system", " \n Rules.\t\n"), new("user", "\n\n  Question?  \u001c")]);

        Assert.Equal(plain, padded);
    }

    [Fact]
    public void CountPromptTokens_SystemNotFirst_IsAnOrdinaryTurn()
    {
        int tokens = s_llama.CountPromptTokens([new("user", "Hi"), new("system", "Be brief.")]);

        Assert.Equal(30 + (5 + Count("Hi")) + (5 + Count("Be brief.")), tokens);
    }

    [Fact]
    public void CountPromptTokens_DeveloperFirst_FillsTheSystemBlock()
    {
        Assert.Equal(
            s_llama.CountPromptTokens([new("system", "Be brief."), new("user", "Hi")]),
            s_llama.CountPromptTokens([new("developer", "Be brief."), new("user", "Hi")]));
    }

    [Fact]
    public void CountPromptTokens_NullAndEmptyContent_CountTheFrameOnly()
    {
        Assert.Equal(35, s_llama.CountPromptTokens([new("user", null)]));
        Assert.Equal(35, s_llama.CountPromptTokens([new("user", "   ")]));
    }

    [Fact]
    public void CountPromptTokens_AnyMessages_EqualsCountingTheRenderedPrompt()
    {
        TokenTestText.Messages.Sample(messages => s_llama.CountPromptTokens(messages) == s_llama.CountTokens(Render(messages)), iter: 300);
    }

    [Fact]
    public void CountTokens_SpecialTokenInText_CountsAsOne()
    {
        Assert.Equal(Count("a") + 1 + Count("b"), Count("a<|eot_id|>b"));
        Assert.Equal(1, Count("<|start_header_id|>"));
        Assert.True(Count("<|not_special|>") > 1);
    }

    private static int Count(string text) => s_llama.CountTokens(text);

    private static string Render(PromptMessage[] messages)
    {
        var prompt = new StringBuilder("<|begin_of_text|><|start_header_id|>system<|end_header_id|>").Append(Llama3ChatTemplate.DateLines);
        int start = 0;
        if (messages.Length > 0 && messages[0].Role == "system")
        {
            prompt.Append(TemplateText.Trim(messages[0].Content));
            start = 1;
        }

        prompt.Append("<|eot_id|>");
        for (int i = start; i < messages.Length; i++)
        {
            prompt.Append("<|start_header_id|>").Append(messages[i].Role).Append("<|end_header_id|>\n\n")
                .Append(TemplateText.Trim(messages[i].Content)).Append("<|eot_id|>");
        }

        return prompt.Append("<|start_header_id|>assistant<|end_header_id|>\n\n").ToString();
    }
}
