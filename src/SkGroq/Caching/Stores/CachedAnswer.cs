using SkGroq.Caching.Conversion;

namespace SkGroq.Caching.Stores;

/// <summary>
/// One stored answer: what Groq sent — the JSON body, or the SSE data payloads in order — with the little the cache needs
/// to know about it. Never anything of the request (no headers, no key, not even the body: the cache key is its hash).
/// </summary>
/// <remarks>
/// Immutable once built and shared by every hit. The other representation (the chunks of a JSON answer, the JSON of a streamed
/// one) is converted on first use and kept, so an entry in the memory tier converts at most once.
/// </remarks>
internal sealed class CachedAnswer
{
    private readonly byte[] _data;
    private readonly int[] _chunkEnds;
    private ReadOnlyMemory<byte>[]? _chunks;
    private byte[]? _convertedJson;
    private ReadOnlyMemory<byte>[]? _convertedChunks;
    private ReadOnlyMemory<byte>[]? _chunksWithUsage;
    private int _endsWithUsageChunk;
    private ReplayFacts? _jsonFacts;
    private ReplayFacts? _replayFacts;
    private ReplayFacts? _replayFactsWithUsage;

    private CachedAnswer(CachedAnswerKind kind, byte[] data, int[] chunkEnds, CachedAnswerInfo info)
    {
        Kind = kind;
        _data = data;
        _chunkEnds = chunkEnds;
        Info = info;
    }

    /// <summary>Gets how the answer was received.</summary>
    public CachedAnswerKind Kind { get; }

    /// <summary>Gets what is known about the answer (when it was stored, model, finish reason, usage).</summary>
    public CachedAnswerInfo Info { get; }

    /// <summary>Gets when the answer was stored.</summary>
    public DateTimeOffset StoredAt => Info.StoredAt;

    /// <summary>Gets the bytes of the answer as received: the JSON body, or the payloads back to back.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>Gets where each payload ends in <see cref="Data"/> (one element, the body's length, for JSON).</summary>
    public ReadOnlySpan<int> ChunkEnds => _chunkEnds;

    /// <summary>Gets an estimate of the memory the entry holds, for the cache's size limit.</summary>
    public long Size => _data.Length + (_chunkEnds.Length * sizeof(int)) + 256 + ((Info.Model?.Length ?? 0) * 2);

    /// <summary>Creates an entry from a JSON body.</summary>
    /// <param name="body">The body; kept, not copied — the caller must not change it.</param>
    /// <param name="info">What is known about it.</param>
    /// <returns>The entry.</returns>
    public static CachedAnswer FromJson(byte[] body, CachedAnswerInfo info)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(info);
        return new CachedAnswer(CachedAnswerKind.Json, body, [body.Length], info);
    }

    /// <summary>Creates an entry from a stream's data payloads.</summary>
    /// <param name="payloads">The payloads back to back; kept, not copied.</param>
    /// <param name="chunkEnds">Where each payload ends; kept, not copied.</param>
    /// <param name="info">What is known about it.</param>
    /// <returns>The entry.</returns>
    public static CachedAnswer FromStream(byte[] payloads, int[] chunkEnds, CachedAnswerInfo info)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentNullException.ThrowIfNull(chunkEnds);
        ArgumentNullException.ThrowIfNull(info);
        if (chunkEnds.Length == 0 || chunkEnds[^1] != payloads.Length)
        {
            throw new ArgumentException("The chunk ends must cover the payloads exactly.", nameof(chunkEnds));
        }

        return new CachedAnswer(CachedAnswerKind.Stream, payloads, chunkEnds, info);
    }

    /// <summary>Gets the answer as a <c>chat.completion</c> JSON body: the stored one, or one built from the chunks.</summary>
    /// <returns>The body; shared, do not change it.</returns>
    public byte[] GetJson()
    {
        if (Kind == CachedAnswerKind.Json)
        {
            return _data;
        }

        return _convertedJson ??= ChatCompletionConverter.ToJson(GetStoredChunks());
    }

    /// <summary>
    /// Gets the answer as SSE data payloads (without <c>[DONE]</c>): the stored ones, or role, content, finish and
    /// usage-only chunks built from the JSON body.
    /// </summary>
    /// <returns>The payloads; shared, do not change them.</returns>
    public ReadOnlyMemory<byte>[] GetChunks()
        => Kind == CachedAnswerKind.Stream ? GetStoredChunks() : _convertedChunks ??= [.. ChatCompletionConverter.ToChunks(_data).Select(static c => (ReadOnlyMemory<byte>)c)];

    /// <summary>
    /// Gets the payloads to replay to a streaming request: those of <see cref="GetChunks"/>, without the trailing usage-only
    /// chunk when the request did not ask for it (<c>stream_options.include_usage</c>), with one built from the finish chunk's
    /// usage when it did and the stored stream had none. A request shaped like the original gets the original payloads exactly.
    /// </summary>
    /// <param name="includeUsage">Whether the request set <c>stream_options.include_usage</c>.</param>
    /// <returns>The payloads.</returns>
    public ReadOnlyMemory<ReadOnlyMemory<byte>> GetReplayChunks(bool includeUsage)
    {
        ReadOnlyMemory<byte>[] chunks = GetChunks();
        if (_endsWithUsageChunk == 0)
        {
            _endsWithUsageChunk = chunks.Length > 1 && ChatCompletionConverter.IsUsageOnlyChunk(chunks[^1].Span) ? 2 : 1;
        }

        bool endsWithUsage = _endsWithUsageChunk == 2;
        if (includeUsage == endsWithUsage)
        {
            return chunks;
        }

        if (!includeUsage)
        {
            return chunks.AsMemory(0, chunks.Length - 1);
        }

        return _chunksWithUsage ??= ChatCompletionConverter.UsageChunk(chunks) is { } usage ? [.. chunks, usage] : chunks;
    }

    /// <summary>Gets what the body of <see cref="GetJson"/> tells its reader; read on first use and kept.</summary>
    /// <returns>The facts.</returns>
    public ReplayFacts GetJsonFacts() => _jsonFacts ??= ReplayFacts.OfJson(GetJson());

    /// <summary>Gets what the payloads of <see cref="GetReplayChunks"/> tell their reader, frame by frame; read on first use and kept.</summary>
    /// <param name="includeUsage">Whether the request set <c>stream_options.include_usage</c>.</param>
    /// <returns>The facts.</returns>
    public ReplayFacts GetReplayFacts(bool includeUsage)
        => includeUsage
            ? _replayFactsWithUsage ??= ReplayFacts.OfStream(GetReplayChunks(includeUsage: true).Span)
            : _replayFacts ??= ReplayFacts.OfStream(GetReplayChunks(includeUsage: false).Span);

    private ReadOnlyMemory<byte>[] GetStoredChunks()
    {
        if (_chunks is { } chunks)
        {
            return chunks;
        }

        chunks = new ReadOnlyMemory<byte>[_chunkEnds.Length];
        int start = 0;
        for (int i = 0; i < chunks.Length; i++)
        {
            chunks[i] = _data.AsMemory(start, _chunkEnds[i] - start);
            start = _chunkEnds[i];
        }

        return _chunks = chunks;
    }
}
