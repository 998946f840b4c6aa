using SkGroq.Emulator.Chat;

namespace SkGroq.Tests.Emulator;

public sealed class PropertySuggesterTests
{
    [Fact]
    public void Closest_2024TopLevelList_SuggestsStreamForStreamOptions()
    {
        string[] withoutStreamOptions = Array.FindAll(KnownProperties.TopLevel, p => p != "stream_options");

        Assert.Equal("stream", PropertySuggester.Closest("stream_options", withoutStreamOptions));
    }

    [Fact]
    public void Closest_OlderListWithoutMaxCompletionTokens_SuggestsMaxTokens()
    {
        string[] older = Array.FindAll(KnownProperties.TopLevel, p => p is not ("max_completion_tokens" or "stream_options"));

        Assert.Equal("max_tokens", PropertySuggester.Closest("max_completion_tokens", older));
    }

    [Fact]
    public void Closest_AssistantMessage_SuggestsRoleForModelUsed()
        => Assert.Equal("role", PropertySuggester.Closest("model_used", KnownProperties.Assistant));

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void Distance_IsLevenshtein(string a, string b, int expected) => Assert.Equal(expected, PropertySuggester.Distance(a, b));
}
