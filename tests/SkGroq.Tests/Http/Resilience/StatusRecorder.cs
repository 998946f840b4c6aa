using System.Threading.Channels;
using SkGroq.Context;

namespace SkGroq.Tests.Http.Resilience;

/// <summary>An <see cref="IProgress{T}"/> that receives the pipeline's status reports synchronously, in order, so a test can react to "retrying in 0.5 s".</summary>
internal sealed class StatusRecorder : IProgress<GroqRequestStatus>
{
    private readonly Channel<GroqRequestStatus> _pending = Channel.CreateUnbounded<GroqRequestStatus>();
    private readonly Lock _gate = new();
    private readonly List<GroqRequestStatus> _all = [];

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

    public ChannelReader<GroqRequestStatus> Pending => _pending.Reader;

    public void Report(GroqRequestStatus value)
    {
        lock (_gate)
        {
            _all.Add(value);
        }

        _pending.Writer.TryWrite(value);
    }
}
