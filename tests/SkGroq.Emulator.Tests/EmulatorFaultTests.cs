using SkGroq.Emulator.Faults;

namespace SkGroq.Tests.Emulator;

public sealed class EmulatorFaultTests
{
    [Theory]
    [InlineData("503", EmulatorFaultKind.ServiceUnavailable)]
    [InlineData("500", EmulatorFaultKind.InternalServerError)]
    [InlineData("502", EmulatorFaultKind.BadGateway)]
    [InlineData("498", EmulatorFaultKind.CapacityExceeded)]
    [InlineData("429", EmulatorFaultKind.RateLimitNoRetry)]
    [InlineData("reset", EmulatorFaultKind.ConnectionReset)]
    [InlineData("HTML", EmulatorFaultKind.HtmlErrorPage)]
    [InlineData("slow-ttft", EmulatorFaultKind.SlowFirstToken)]
    [InlineData("stall", EmulatorFaultKind.Stall)]
    [InlineData("error-event", EmulatorFaultKind.StreamErrorEvent)]
    [InlineData("error-data", EmulatorFaultKind.StreamErrorData)]
    [InlineData("x-groq-error", EmulatorFaultKind.StreamXGroqError)]
    [InlineData("disconnect", EmulatorFaultKind.StreamDisconnect)]
    public void Parse_EveryKind(string text, EmulatorFaultKind kind) => Assert.Equal(kind, EmulatorFault.Parse(text).Kind);

    [Fact]
    public void Parse_Parameters_RoundTripThroughToString()
    {
        EmulatorFault fault = EmulatorFault.Parse(" stall ; after=3 ; seconds=2.5 ; status=503 ");

        Assert.Equal(new EmulatorFault(EmulatorFaultKind.Stall) { AfterChunks = 3, Duration = TimeSpan.FromSeconds(2.5), StatusCode = 503 }, fault);
        Assert.Equal("stall;after=3;ms=2500;status=503", fault.ToString());
        Assert.Equal(fault, EmulatorFault.Parse(fault.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("418")]
    [InlineData("stall;after=-1")]
    [InlineData("stall;colour=red")]
    [InlineData("503;model=m")]
    public void TryParse_Invalid_SaysWhy(string text)
    {
        Assert.False(EmulatorFault.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void RuleParse_ReadsScheduling()
    {
        EmulatorFaultRule rule = EmulatorFaultRule.Parse("error-event;after=2;model=openai/gpt-oss-20b;probability=0.25;every=3;times=4");

        Assert.Equal(EmulatorFaultKind.StreamErrorEvent, rule.Fault.Kind);
        Assert.Equal(("openai/gpt-oss-20b", 0.25, 3, (int?)4), (rule.Model, rule.Probability, rule.Every, rule.Times));
        Assert.Equal("error-event;after=2;model=openai/gpt-oss-20b;probability=0.25;every=3;times=4", rule.ToString());
        Assert.Throws<FormatException>(() => EmulatorFaultRule.Parse("503;probability=1.5"));
    }

    [Fact]
    public void IsMidStream_OnlyForFaultsAfterTheHeaders()
    {
        Assert.True(new EmulatorFault(EmulatorFaultKind.StreamDisconnect).IsMidStream);
        Assert.True(new EmulatorFault(EmulatorFaultKind.Stall).IsMidStream);
        Assert.False(new EmulatorFault(EmulatorFaultKind.SlowFirstToken).IsMidStream);
        Assert.False(new EmulatorFault(EmulatorFaultKind.ConnectionReset).IsMidStream);
    }
}
