using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SkGroq.Http;
using SkGroq.Inspection;
using SkGroq.Inspection.Sse;

namespace SkGroq.Benchmarks.Sse;

/// <summary>
/// The SSE usage tap over a recorded Groq stream: one operation is one whole stream (first chunk, N content chunks, finish
/// chunk, include_usage chunk, [DONE]). Allocations that do not grow with N are per stream (the tap, the usage record, the
/// model/id/finish-reason strings), i.e. nothing per chunk.
/// </summary>
[MemoryDiagnoser]
public class SseTapBenchmarks
{
    private byte[][] _frames = [];
    private byte[] _whole = [];
    private byte[] _readBuffer = [];

    /// <summary>Gets or sets the number of content chunks in the stream.</summary>
    [Params(100, 1000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frames = RecordedGroqStream.Frames(Chunks);
        _whole = [.. _frames.SelectMany(f => f)];
        _readBuffer = new byte[16 * 1024];
    }

    /// <summary>The pure tap, fed one network read per chunk (how Groq's stream arrives).</summary>
    [Benchmark(Baseline = true)]
    public int TapChunkPerRead()
    {
        using var tap = new GroqStreamTap();
        foreach (byte[] frame in _frames)
        {
            tap.Feed(frame);
        }

        return tap.ContentChunks + (int)(tap.Usage?.TotalTokens ?? 0);
    }

    /// <summary>The pure tap, fed 16 KB reads (chunks straddle reads).</summary>
    [Benchmark]
    public int Tap16KbReads()
    {
        using var tap = new GroqStreamTap();
        for (int offset = 0; offset < _whole.Length; offset += 16 * 1024)
        {
            tap.Feed(_whole.AsSpan(offset, Math.Min(16 * 1024, _whole.Length - offset)));
        }

        return tap.ContentChunks + (int)(tap.Usage?.TotalTokens ?? 0);
    }

    /// <summary>The pure tap, fed 1 KB reads (the buffer System.Net.ServerSentEvents' parser reads with, so Semantic Kernel's): many chunks straddle reads.</summary>
    [Benchmark]
    public int Tap1KbReads()
    {
        using var tap = new GroqStreamTap();
        for (int offset = 0; offset < _whole.Length; offset += 1024)
        {
            tap.Feed(_whole.AsSpan(offset, Math.Min(1024, _whole.Length - offset)));
        }

        return tap.ContentChunks + (int)(tap.Usage?.TotalTokens ?? 0);
    }

    /// <summary>The tap stream the caller reads (watchdog armed, observation completed), one network read per chunk.</summary>
    [Benchmark]
    public async Task<int> TapStreamChunkPerRead()
    {
        var observation = new ResponseObservation("req", streaming: true, 0);
        await using var stream = new GroqSseStream(new FramedStream(_frames), observation, "openai/gpt-oss-20b", TimeProvider.System, TimeSpan.FromSeconds(30), NullLogger.Instance);
        int total = 0;
        int read;
        while ((read = await stream.ReadAsync(_readBuffer)) > 0)
        {
            total += read;
        }

        return total + (await observation.Completion).ContentChunks;
    }

    /// <summary>A network stream that returns one frame per read, synchronously.</summary>
    private sealed class FramedStream(byte[][] frames) : Stream
    {
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_next == frames.Length)
            {
                return ValueTask.FromResult(0);
            }

            byte[] frame = frames[_next++];
            frame.CopyTo(buffer);
            return ValueTask.FromResult(frame.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
