using SkGroq.Configuration;

namespace SkGroq.Tests.Configuration;

public sealed class GroqApiKeyTests
{
    [Theory]
    [InlineData("gsk_abcdefghijklmnopqrstuvwxyz01a1b2", "gsk_…a1b2")]
    [InlineData("sk-abcdefghijklmnopqrstuvwxyz0a1b2", "…a1b2")]
    [InlineData("short", "…")]
    [InlineData(null, "(none)")]
    [InlineData("   ", "(none)")]
    public void Redact_ShowsOnlyPrefixAndLastFour(string? key, string expected) => Assert.Equal(expected, GroqApiKey.Redact(key));

    [Fact]
    public void Fingerprint_IsStableAndDoesNotContainTheKey()
    {
        const string key = "gsk_secretsecretsecretsecret1234";
        string fingerprint = GroqApiKey.Fingerprint(key);
        Assert.Equal(fingerprint, GroqApiKey.Fingerprint(" " + key + " "));
        Assert.StartsWith("key_", fingerprint, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", fingerprint, StringComparison.Ordinal);
        Assert.NotEqual(fingerprint, GroqApiKey.Fingerprint(key + "x"));
    }
}
