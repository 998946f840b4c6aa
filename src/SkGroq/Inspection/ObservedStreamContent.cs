using SkGroq.Http;

namespace SkGroq.Inspection;

/// <summary>The content of an inspected streaming response: the original headers over the tap stream.</summary>
internal sealed class ObservedStreamContent : HttpContent
{
    private readonly HttpContent _original;
    private readonly Stream _stream;

    /// <summary>Initializes a new instance of the <see cref="ObservedStreamContent"/> class.</summary>
    /// <param name="original">The content being replaced; disposed with this one.</param>
    /// <param name="stream">The stream that reads (and watches) the original's.</param>
    public ObservedStreamContent(HttpContent original, Stream stream)
    {
        _original = original;
        _stream = stream;
        ContentHeaders.CopyUnparsed(original, this);
    }

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        => _stream.CopyToAsync(stream);

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        => _stream.CopyToAsync(stream, cancellationToken);

    /// <inheritdoc />
    protected override void SerializeToStream(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        => _stream.CopyTo(stream);

    /// <inheritdoc />
    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(_stream);

    /// <inheritdoc />
    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Task.FromResult(_stream);

    /// <inheritdoc />
    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => _stream;

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Disposing before the stream ended is how a caller abandons it; the stream records that.
            _stream.Dispose();
            _original.Dispose();
        }

        base.Dispose(disposing);
    }
}
