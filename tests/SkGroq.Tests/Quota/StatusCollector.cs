using SkGroq.Context;

namespace SkGroq.Tests.Quota;

/// <summary>Collects status reports synchronously (unlike <see cref="Progress{T}"/>, which posts them), and signals the first one.</summary>
internal sealed class StatusCollector : IProgress<GroqRequestStatus>
{
    private readonly TaskCompletionSource<GroqRequestStatus> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<GroqRequestStatus> _reports = [];

    public IReadOnlyList<GroqRequestStatus> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public Task<GroqRequestStatus> First => _first.Task;

    public void Report(GroqRequestStatus value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }

        _first.TrySetResult(value);
    }
}
