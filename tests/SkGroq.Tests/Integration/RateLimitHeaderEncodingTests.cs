using System.Text;
using SkGroq.Errors;
using SkGroq.Models;

namespace SkGroq.Tests.Integration;

/// <summary>
/// Go writes resets under a millisecond with 'µ' (<c>x-ratelimit-reset-tokens: 360µs</c>): with a large TPM limit every answer
/// carries one. Found by the chaos soak: the emulator answered such requests with an empty 500 (Kestrel refuses non-ASCII
/// header values) and the client would have read the header as Latin-1.
/// </summary>
public sealed class RateLimitHeaderEncodingTests
{
    [Fact]
    public async Task LargeTokenLimit_SubMillisecondReset_IsSentAndReadAsAGoDuration()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(emulator: o => o.Limits["llama-3.1-8b-instant"] = new ModelLimits(1_000, 1_000_000, 100_000_000, 1_000_000_000));
        using var content = new StringContent("""{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Hello"}],"max_tokens":20}""", Encoding.UTF8, "application/json");

        using HttpResponseMessage response = await host.Http.PostAsync("chat/completions", content, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        string reset = Assert.Single(response.Headers.GetValues(GroqRateLimitHeaders.ResetTokensHeader));
        Assert.EndsWith("µs", reset, StringComparison.Ordinal);
        Assert.True(GoDuration.TryParse(reset, out TimeSpan parsed), reset);
        Assert.InRange(parsed, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(1));
        Assert.Equal(parsed, GroqRateLimitHeaders.Parse(response.Headers)?.ResetTokens);
    }
}
