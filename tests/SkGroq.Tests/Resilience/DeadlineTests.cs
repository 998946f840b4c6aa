using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Context;
using SkGroq.Emulator.Faults;
using SkGroq.Errors;
using SkGroq.Usage;

namespace SkGroq.Tests.Resilience;

/// <summary>The request's deadline bounds attempts, retries and fallback; the caller's own cancellation stays a cancellation.</summary>
public sealed class DeadlineTests
{
    private const string Model = ResilienceHarness.Primary;
    private static readonly TimeSpan s_serverDelay = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task DeadlinePassesDuringAnAttempt_ThrowsDeadlineTimeout_WithoutFallback()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(10);
            o.Fallbacks[Model] = [ResilienceHarness.Secondary];
        });
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.SlowFirstToken) { Duration = s_serverDelay }, Model);

        Task<RunResult<ChatMessageContent>> running = h.AskAsync();
        await h.WaitForTimerAsync(s_serverDelay, TestContext.Current.CancellationToken);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        RunResult<ChatMessageContent> run = await running;

        GroqTimeoutException error = run.Fails<GroqTimeoutException>();
        Assert.Equal(GroqTimeoutKind.Deadline, error.TimeoutKind);
        Assert.Equal("deadline_exceeded", error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(10), error.Timeout);
        Assert.Equal(
            "Groq did not start answering model 'llama-3.3-70b-versatile' within the request's deadline of 10.0 s (after 1 attempt). "
            + "Raise Groq:RequestTimeout (or the Timeout of the GroqRequestContext scope) if the wait is expected, or try again later.",
            error.Message);
        Assert.Equal(1, h.Requests(Model));
        Assert.Equal(0, h.Requests(ResilienceHarness.Secondary));
        Assert.Equal("deadline_exceeded", (await h.Ledger.NextAsync()).ErrorKind);
    }

    [Fact]
    public async Task ScopeTimeout_IsTheDeadline()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.SlowFirstToken) { Duration = s_serverDelay }, Model);

        Task<RunResult<ChatMessageContent>> running = h.AskAsync(options: new GroqRequestOptions { Timeout = TimeSpan.FromSeconds(3) });
        await h.WaitForTimerAsync(s_serverDelay, TestContext.Current.CancellationToken);
        h.Time.Advance(TimeSpan.FromSeconds(3));
        RunResult<ChatMessageContent> run = await running;

        GroqTimeoutException error = run.Fails<GroqTimeoutException>();
        Assert.Equal(GroqTimeoutKind.Deadline, error.TimeoutKind);
        Assert.Contains("within the request's deadline of 3.0 s (after 1 attempt)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancels_SurfacesAsOperationCanceled_NotAGroqException()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o => o.Fallbacks[Model] = [ResilienceHarness.Secondary]);
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.SlowFirstToken) { Duration = s_serverDelay }, Model);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        Task<RunResult<ChatMessageContent>> running = h.RunAsync(
            ct => h.Chat.GetChatMessageContentAsync(ResilienceHarness.Question(), ResilienceHarness.Settings(), cancellationToken: ct),
            cancellationToken: cancel.Token);
        await h.WaitForTimerAsync(s_serverDelay, TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        RunResult<ChatMessageContent> run = await running;

        Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
        Assert.Equal(1, h.Requests(Model));
        Assert.Equal(0, h.Requests(ResilienceHarness.Secondary));
        Assert.Equal(UsageOutcome.Cancelled, (await h.Ledger.NextAsync()).Outcome);
    }

    [Fact]
    public async Task FirstByteTimeout_IsRetried_AndTheRetryAnswers()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o => o.Inspection.FirstByteTimeout = TimeSpan.FromSeconds(5));
        h.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.SlowFirstToken) { Duration = s_serverDelay }, Model);

        Task<RunResult<ChatMessageContent>> running = h.AskAsync();
        await h.WaitForTimerAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await h.WaitForTimerAsync(s_serverDelay, TestContext.Current.CancellationToken);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        RunResult<ChatMessageContent> run = await running;

        Assert.Equal(Model, run.Succeeds().ModelId);
        Assert.Equal(2, h.Requests(Model));
        Assert.Equal([TimeSpan.FromSeconds(0.5)], run.Delays);
        GroqRequestStatusAssert.Retrying(run.Statuses, "llama-3.3-70b-versatile failed (no response within 5.0 s); retrying in 0.5 s (attempt 2 of 3)");
    }

    [Fact]
    public async Task RetryAfterLongerThanTheDeadline_IsNotWaitedFor_TheRateLimitErrorSurfacesAtOnce()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(
            o => o.RequestTimeout = TimeSpan.FromSeconds(20),
            e => e.Limits[Model] = new Models.ModelLimits(2, null, null, null));
        for (int i = 0; i < 2; i++)
        {
            (await h.AskAsync()).Succeeds();
        }

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqRateLimitException error = run.Fails<GroqRateLimitException>();
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, error.Limit);
        Assert.StartsWith("Groq's requests/minute limit on model 'llama-3.3-70b-versatile' is reached (limit 2, used 2, requested 1); it frees in 30.0 s.", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Requests(Model));
        Assert.Empty(run.Delays);
    }
}
