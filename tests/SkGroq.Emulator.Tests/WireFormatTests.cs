using System.Text;
using System.Text.RegularExpressions;
using SkGroq.Emulator.Hosting;
using SkGroq.Emulator.Wire;

namespace SkGroq.Tests.Emulator;

public sealed partial class WireFormatTests
{
    [Theory]
    [InlineData(808_140L, "0.00080814")]
    [InlineData(36_813_737L, "0.036813737")]
    [InlineData(2_000_000_000L, "2")]
    [InlineData(2_245_177_008L, "2.245177008")]
    [InlineData(0L, "0")]
    public void FormatSeconds_WritesGroqStyleDecimals(long nanoseconds, string expected)
    {
        byte[] buffer = new byte[32];

        int written = JsonWriting.FormatSeconds(nanoseconds, buffer);

        Assert.Equal(expected, Encoding.ASCII.GetString(buffer, 0, written));
    }

    [Fact]
    public void RequestId_IsUlidLikeAndStartsWithTheTime()
    {
        string id = Ids.RequestId(new DateTimeOffset(2026, 9, 5, 12, 12, 15, TimeSpan.Zero));

        Assert.Matches(RequestIdPattern(), id);

        // Recorded on 2026-09-05: req_01m1rqqjv4eces3wcz645rs9vq; the time prefix matches to the second.
        Assert.StartsWith("req_01m1rqq", id, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_HaveGroqsShapes()
    {
        Assert.Matches("^chatcmpl-[0-9a-f-]{36}$", Ids.CompletionId());
        Assert.Matches("^fp_[0-9a-f]{10}$", Ids.Fingerprint("openai/gpt-oss-20b", 0));
        Assert.Equal(Ids.Fingerprint("openai/gpt-oss-20b", 0), Ids.Fingerprint("openai/gpt-oss-20b", 0));
        Assert.Matches("^[a-z0-9]{9}$", Ids.ToolCallId(1, legacy: false));
        Assert.Matches("^call_[a-z0-9]{4}$", Ids.ToolCallId(1, legacy: true));
    }

    [Fact]
    public void OrganizationId_IsStableAndGroqShaped()
    {
        string id = KeyDirectory.DeriveOrganizationId("gsk_example");

        Assert.Equal(id, KeyDirectory.DeriveOrganizationId("gsk_example"));
        Assert.Matches("^org_01[0-9a-z]{24}$", id);
    }

    [GeneratedRegex("^req_01[0-9abcdefghjkmnpqrstvwxyz]{24}$")]
    private static partial Regex RequestIdPattern();
}
