using System.Buffers;

namespace SkGroq.Inspection.Sse;

/// <summary>
/// Splits a byte stream into server-sent events as the HTML standard's event-stream parser does (CR, LF and CRLF line
/// ends, <c>:</c> comments, one optional space after the colon, several <c>data:</c> lines joined with LF, a blank line
/// dispatches), fed with whatever pieces the network delivers.
/// </summary>
/// <remarks>
/// Pure logic, no I/O. A frame that lies wholly in one input is returned as a slice of it (no copy); only lines and data
/// that straddle two inputs are copied, into pooled buffers that go back to the pool as soon as the line or frame is done,
/// so an open stream holds no buffer while it waits for the network.
/// </remarks>
internal sealed class SseFrameScanner : IDisposable
{
    private static readonly SearchValues<byte> s_lineEnds = SearchValues.Create("\r\n"u8);
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private PooledBytes _line;
    private PooledBytes _data;
    private PooledBytes _eventType;
    private bool _skipLineFeed;
    private bool _bomChecked;
    private bool _inFrame;
    private int _frameStart;
    private bool _hasData;
    private bool _pendingReset;

    // The frame's only data line so far when it lies in the current input: dispatched from there without a copy.
    private int _inlineDataStart = -1;
    private int _inlineDataLength;

    /// <summary>Gets the bytes of pooled arrays the scanner holds right now (lines or data waiting for the rest of their input).</summary>
    internal int RentedBytes => _line.Capacity + _data.Capacity + _eventType.Capacity;

    /// <summary>Reads the next complete frame from <paramref name="input"/>, starting at <paramref name="offset"/>.</summary>
    /// <param name="input">The bytes just received. Call with offset 0 for each new input, then again with the advanced offset until it returns <see langword="false"/>.</param>
    /// <param name="offset">Where to continue; advanced past what was consumed.</param>
    /// <param name="frame">The frame, valid until the next call.</param>
    /// <returns><see langword="true"/> when a frame was dispatched; <see langword="false"/> when the input is used up (its tail is kept for the next input).</returns>
    public bool TryReadFrame(ReadOnlySpan<byte> input, ref int offset, out SseFrame frame)
    {
        if (_pendingReset)
        {
            _pendingReset = false;
            _data.Release();
            _eventType.Release();
        }

        if (offset == 0 && _inFrame)
        {
            // A frame still open from an earlier input began before this one.
            _frameStart = -1;
        }

        while (offset < input.Length)
        {
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (input[offset] == (byte)'\n')
                {
                    offset++;
                    continue;
                }
            }

            ReadOnlySpan<byte> rest = input[offset..];
            int end = rest.IndexOfAny(s_lineEnds);
            if (end < 0)
            {
                KeepPartialLine(rest, offset);
                offset = input.Length;
                break;
            }

            int lineStart = _line.Length == 0 ? offset : -1;
            ReadOnlySpan<byte> line;
            if (_line.Length == 0)
            {
                line = rest[..end];
            }
            else
            {
                _line.Append(rest[..end]);
                line = _line.WrittenSpan;
            }

            offset += end + 1;
            if (rest[end] == (byte)'\r')
            {
                if (offset < input.Length)
                {
                    if (input[offset] == (byte)'\n')
                    {
                        offset++;
                    }
                }
                else
                {
                    _skipLineFeed = true;
                }
            }

            if (!_bomChecked)
            {
                _bomChecked = true;
                if (line.StartsWith(Bom))
                {
                    line = line[Bom.Length..];
                    lineStart = lineStart < 0 ? -1 : lineStart + Bom.Length;
                }
            }

            bool dispatched = ProcessLine(line, lineStart, input, out frame);
            _line.Release();
            if (dispatched)
            {
                return true;
            }
        }

        // The input is about to go away: a data line kept as a slice of it must be copied now.
        if (_inlineDataStart >= 0)
        {
            _data.Append(input.Slice(_inlineDataStart, _inlineDataLength));
            _inlineDataStart = -1;
        }

        frame = default;
        return false;
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        _line.Dispose();
        _data.Dispose();
        _eventType.Dispose();
    }

    private void KeepPartialLine(ReadOnlySpan<byte> rest, int offset)
    {
        if (!_inFrame)
        {
            _inFrame = true;
            _frameStart = _line.Length == 0 ? offset : -1;
        }

        _line.Append(rest);
    }

    private bool ProcessLine(ReadOnlySpan<byte> line, int lineStart, ReadOnlySpan<byte> input, out SseFrame frame)
    {
        frame = default;
        if (line.IsEmpty)
        {
            return Dispatch(input, out frame);
        }

        if (!_inFrame)
        {
            _inFrame = true;
            _frameStart = lineStart;
        }

        if (line[0] == (byte)':')
        {
            return false;
        }

        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> name = colon < 0 ? line : line[..colon];
        ReadOnlySpan<byte> value = colon < 0 ? [] : line[(colon + 1)..];
        int valueStart = colon + 1;
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
            valueStart++;
        }

        if (name.SequenceEqual("data"u8))
        {
            AddData(value, lineStart < 0 ? -1 : lineStart + valueStart, input);
        }
        else if (name.SequenceEqual("event"u8))
        {
            _eventType.Clear();
            _eventType.Append(value);
        }

        // id: and retry: do not matter to a tap; other fields are ignored by the standard.
        return false;
    }

    private void AddData(ReadOnlySpan<byte> value, int valueOffset, ReadOnlySpan<byte> input)
    {
        if (!_hasData)
        {
            _hasData = true;
            if (valueOffset >= 0)
            {
                _inlineDataStart = valueOffset;
                _inlineDataLength = value.Length;
                return;
            }

            _data.Append(value);
            return;
        }

        // A second data line: the first one, if still a slice of the current input, moves into the buffer.
        if (_inlineDataStart >= 0)
        {
            _data.Append(input.Slice(_inlineDataStart, _inlineDataLength));
            _inlineDataStart = -1;
        }

        _data.Append((byte)'\n');
        _data.Append(value);
    }

    private bool Dispatch(ReadOnlySpan<byte> input, out SseFrame frame)
    {
        int start = _frameStart;
        bool hasData = _hasData;
        _inFrame = false;
        _hasData = false;
        if (!hasData)
        {
            _eventType.Release();
            frame = default;
            return false;
        }

        ReadOnlySpan<byte> data;
        if (_inlineDataStart >= 0)
        {
            data = input.Slice(_inlineDataStart, _inlineDataLength);
            _inlineDataStart = -1;
        }
        else
        {
            data = _data.WrittenSpan;
        }

        frame = new SseFrame(_eventType.WrittenSpan, data, start);

        // The buffers are cleared at the next call, so the frame's spans stay valid until then.
        _pendingReset = true;
        return true;
    }
}
