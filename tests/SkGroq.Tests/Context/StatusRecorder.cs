using System.Threading.Channels;
using SkGroq.Context;

namespace SkGroq.Tests.Context;

/// <summary>
/// An <see cref="IProgress{T}"/> that receives status reports synchronously, in order (unlike <see cref="Progress{T}"/>,
/// which posts them), so a test can read them all, react to each ("retrying in 0.5 s") or await the first.
/// </summary>
internal sealed class StatusRecorder : IProgress<GroqRequestStatus>
{
    private readonly Channel<GroqRequestStatus> _pending = Channel.CreateUnbounded<GroqRequestStatus>();
    private readonly TaskCompletionSource<GroqRequestStatus> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<GroqRequestStatus> _all = [];

    /// <summary>Gets every report so far.</summary>
    public IReadOnlyList<GroqRequestStatus> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Gets the reports one by one, as they come.</summary>
    public ChannelReader<GroqRequestStatus> Pending => _pending.Reader;

    /// <summary>Gets the first report.</summary>
    public Task<GroqRequestStatus> First => _first.Task;

    public void Report(GroqRequestStatus value)
    {
        lock (_gate)
        {
            _all.Add(value);
        }

        _pending.Writer.TryWrite(value);
        _first.TrySetResult(value);
    }
}
