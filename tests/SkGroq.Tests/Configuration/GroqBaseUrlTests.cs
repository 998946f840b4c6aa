using SkGroq.Configuration;

namespace SkGroq.Tests.Configuration;

public sealed class GroqBaseUrlTests
{
    [Theory]
    [InlineData("https://api.groq.com/openai/v1", "https://api.groq.com/openai/v1")]
    [InlineData("https://api.groq.com/openai/v1/", "https://api.groq.com/openai/v1")]
    [InlineData("https://api.groq.com", "https://api.groq.com/openai/v1")]
    [InlineData("http://127.0.0.1:8765/", "http://127.0.0.1:8765/openai/v1")]
    [InlineData("http://localhost:11434/v1", "http://localhost:11434/v1")]
    public void TryNormalize_AcceptsGroqSdkAndOpenAiSdkForms(string value, string expected)
    {
        Assert.True(GroqBaseUrl.TryNormalize(value, out Uri endpoint, out string? error), error);
        Assert.Equal(expected, endpoint.AbsoluteUri.TrimEnd('/'));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("api.groq.com/openai/v1", "not an absolute http(s) URL")]
    [InlineData("ftp://api.groq.com/openai/v1", "not an absolute http(s) URL")]
    [InlineData("https://api.groq.com/openai/v1/openai/v1", "repeats /openai/v1")]
    [InlineData("https://api.groq.com/openai/v1?x=1", "query or fragment")]
    public void TryNormalize_RejectsWithMessageNamingTheSettingAndFix(string value, string reason)
    {
        Assert.False(GroqBaseUrl.TryNormalize(value, out _, out string? error));
        Assert.Contains("GROQ_BASE_URL", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_AppendsRelativePath()
        => Assert.Equal("http://h/openai/v1/chat/completions", GroqBaseUrl.Combine(new Uri("http://h/openai/v1"), "chat/completions").AbsoluteUri);
}
