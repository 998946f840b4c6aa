namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// A replayed body that reads like a network response: forward only. System.ClientModel buffers what is left of a seekable
/// body when a stream is disposed and refuses one that was read from, so a plain <see cref="MemoryStream"/> would not do.
/// </summary>
internal sealed class ForwardOnlyStream(byte[] body) : MemoryStream(body, writable: false)
{
    /// <inheritdoc />
    public override bool CanSeek => false;
}
