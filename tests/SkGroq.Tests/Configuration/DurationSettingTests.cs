using SkGroq.Configuration;

namespace SkGroq.Tests.Configuration;

public sealed class DurationSettingTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("00:00:30", 30_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    [InlineData("00:00:00.5", 500)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("0", 0)]
    public void TryParse_AcceptedForms(string text, long milliseconds)
    {
        Assert.True(DurationSetting.TryParse(text, out TimeSpan value, out string? problem), problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("30", "has no unit. Write 30s for seconds or 30ms for milliseconds")]
    [InlineData("1.5", "has no unit. Write 1.5s")]
    [InlineData("banana", "is not a duration. Use 30s, 500ms, 2m")]
    [InlineData("10 seconds", "is not a duration")]
    [InlineData("25:99:00", "is not a duration")]
    public void TryParse_RefusesWhatCouldBeMisread(string text, string expected)
    {
        Assert.False(DurationSetting.TryParse(text, out _, out string? problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(86_400_000, "1d")]
    [InlineData(3_600_000, "1h")]
    [InlineData(600_000, "10m")]
    [InlineData(30_000, "30s")]
    [InlineData(1, "1ms")]
    [InlineData(0, "0s")]
    [InlineData(1_500, "1500ms")]
    public void Format_ShortestAcceptedForm(long milliseconds, string expected)
    {
        string text = DurationSetting.Format(TimeSpan.FromMilliseconds(milliseconds));
        Assert.Equal(expected, text);
        Assert.True(DurationSetting.TryParse(text, out TimeSpan back, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }
}
