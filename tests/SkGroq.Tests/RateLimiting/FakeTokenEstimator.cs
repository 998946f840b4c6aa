using SkGroq.Tokens;

namespace SkGroq.Tests.RateLimiting;

/// <summary>A hand-written estimator: a fixed estimate, and a record of what was fed back.</summary>
internal sealed class FakeTokenEstimator(long promptTokens = 100, long budgetTokens = 120) : IRequestTokenEstimator
{
    private readonly TaskCompletionSource<long> _observed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long PromptTokens { get; set; } = promptTokens;

    public long BudgetTokens { get; set; } = budgetTokens;

    public int EstimateCalls { get; private set; }

    public List<(string Model, string? Feature, RequestTokenEstimate Estimate, long Reported)> Observed { get; } = [];

    /// <summary>Gets the first reported prompt count fed back.</summary>
    public Task<long> FirstObserved => _observed.Task;

    public RequestTokenEstimate Estimate(string model, ReadOnlySpan<byte> requestJson, string? feature = null)
    {
        EstimateCalls++;
        return new RequestTokenEstimate(PromptTokens, BudgetTokens, Exact: false, "fake");
    }

    public void Observe(string model, string? feature, RequestTokenEstimate estimate, long reportedPromptTokens)
    {
        lock (Observed)
        {
            Observed.Add((model, feature, estimate, reportedPromptTokens));
        }

        _observed.TrySetResult(reportedPromptTokens);
    }
}
