using System.IO.Hashing;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace SkGroq.KnowledgeBase.Embeddings;

/// <summary>
/// Computes sentence embeddings on this machine with a <see cref="LocalEmbeddingModel"/> on ONNX Runtime, behind
/// Microsoft.Extensions.AI's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// </summary>
/// <remarks>
/// The model loads on first use. Texts are tokenized with the model's WordPiece vocabulary, sorted by length and run in
/// batches padded only to the longest text of each batch, which is where the speed over a pad-everything wrapper comes
/// from. Embeddings are L2-normalized (a dot product is the cosine similarity) and kept in memory by the hash of their text.
/// The generator embeds what it is given: a search query needs the model's <see cref="LocalEmbeddingModel.QueryPrefix"/>
/// in front (see <see cref="EmbeddingGeneratorExtensions.EmbedQueryAsync"/>).
/// </remarks>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>, IEmbeddingTokenCounter
{
    private readonly LocalEmbeddingOptions _options;
    private readonly Lazy<Loaded> _loaded;
    private readonly MemoryCache? _cache;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly int _parallelism;
    private long _modelRuns;
    private long _textsEmbedded;
    private long _tokensEmbedded;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LocalEmbeddingGenerator"/> class.</summary>
    /// <param name="model">The model; <see langword="null"/> for <see cref="LocalEmbeddingModel.MiniLM"/>.</param>
    /// <param name="options">Batching, threads and cache; <see langword="null"/> for the defaults.</param>
    public LocalEmbeddingGenerator(LocalEmbeddingModel? model = null, LocalEmbeddingOptions? options = null)
    {
        Model = model ?? LocalEmbeddingModel.MiniLM;
        _options = options ?? new LocalEmbeddingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchTokens, Model.MaxTokens, nameof(options));
        _parallelism = Math.Clamp(_options.Parallelism > 0 ? _options.Parallelism : Environment.ProcessorCount, 1, Math.Max(1, _options.Threads > 0 ? _options.Threads : Environment.ProcessorCount));
        _loaded = new Lazy<Loaded>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
        _cache = _options.CacheEntries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.CacheEntries }) : null;
        _metadata = new EmbeddingGeneratorMetadata("skgroq-local", providerUri: null, Model.Name, Model.Dimensions);
    }

    /// <summary>Gets the model.</summary>
    public LocalEmbeddingModel Model { get; }

    /// <summary>Gets a value indicating whether the model has been loaded.</summary>
    public bool IsLoaded => _loaded.IsValueCreated;

    /// <summary>Gets the time the model took to load; <see cref="TimeSpan.Zero"/> before it is loaded.</summary>
    public TimeSpan LoadTime => _loaded.IsValueCreated ? _loaded.Value.LoadTime : TimeSpan.Zero;

    /// <summary>Gets how many texts the model has embedded (cache hits excluded).</summary>
    public long TextsEmbedded => Interlocked.Read(ref _textsEmbedded);

    /// <summary>Gets how many tokens the model has read (padding excluded).</summary>
    public long TokensEmbedded => Interlocked.Read(ref _tokensEmbedded);

    /// <summary>Gets how many times the model ran (one per batch).</summary>
    public long ModelRuns => Interlocked.Read(ref _modelRuns);

    /// <inheritdoc/>
    public int MaxInputTokens => Model.MaxTokens;

    /// <inheritdoc/>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _loaded.Value.Tokenizer.EncodeToIds(BertBasicTokenizer.Normalize(text), addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true).Count;
    }

    /// <summary>Gets the token ids the model reads for a text: BERT's basic tokenization, WordPiece, <c>[CLS]</c> … <c>[SEP]</c>, truncated to <see cref="MaxInputTokens"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The ids.</returns>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _loaded.Value.Tokenizer.EncodeToIds(BertBasicTokenizer.Normalize(text), Model.MaxTokens, addSpecialTokens: true, out _, out _, considerPreTokenization: true, considerNormalization: true);
    }

    /// <inheritdoc/>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string[] texts = values.ToArray();
        var vectors = new float[texts.Length][];
        var keys = new UInt128[texts.Length];
        var pending = new List<int>();
        for (int i = 0; i < texts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], nameof(values));
            keys[i] = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(texts[i].AsSpan()));
            if (_cache is not null && _cache.TryGetValue(keys[i], out float[]? cached) && cached is not null)
            {
                vectors[i] = cached;
            }
            else
            {
                pending.Add(i);
            }
        }

        if (pending.Count > 0)
        {
            Embed(texts, pending, vectors, cancellationToken);
            foreach (int i in pending)
            {
                _cache?.Set(keys[i], vectors[i], new MemoryCacheEntryOptions { Size = 1 });
            }
        }

        DateTimeOffset created = _options.TimeProvider.GetUtcNow();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        foreach (float[] vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = Model.Name, CreatedAt = created });
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _cache?.Dispose();
        if (_loaded.IsValueCreated)
        {
            _loaded.Value.Session.Dispose();
        }
    }

    private void Embed(string[] texts, List<int> pending, float[][] vectors, CancellationToken cancellationToken)
    {
        Loaded loaded = _loaded.Value;
        var encoded = new (int Index, IReadOnlyList<int> Ids)[pending.Count];
        for (int p = 0; p < pending.Count; p++)
        {
            int i = pending[p];
            encoded[p] = (i, Tokenize(texts[i]));
        }

        // Shortest first: a batch is padded to its longest text, so neighbours in length waste little.
        Array.Sort(encoded, static (a, b) => a.Ids.Count.CompareTo(b.Ids.Count));
        var batches = new List<(int Start, int Count)>();
        int start = 0;
        while (start < encoded.Length)
        {
            int end = start;
            while (end < encoded.Length
                && end - start < _options.MaxBatchSize
                && (end - start + 1) * encoded[end].Ids.Count <= _options.MaxBatchTokens)
            {
                end++;
            }

            end = Math.Max(end, start + 1);
            batches.Add((start, end - start));
            start = end;
        }

        // Batches run side by side, each on its share of the cores: on few cores this beats one batch using every core.
        Parallel.ForEach(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            batch => Run(loaded, encoded.AsSpan(batch.Start, batch.Count), vectors));
    }

    private void Run(Loaded loaded, ReadOnlySpan<(int Index, IReadOnlyList<int> Ids)> batch, float[][] vectors)
    {
        int rows = batch.Length;
        int length = batch[rows - 1].Ids.Count;
        var inputIds = new long[rows * length];
        var mask = new long[rows * length];
        var types = new long[rows * length];
        long tokens = 0;
        for (int r = 0; r < rows; r++)
        {
            IReadOnlyList<int> ids = batch[r].Ids;
            for (int t = 0; t < ids.Count; t++)
            {
                inputIds[(r * length) + t] = ids[t];
                mask[(r * length) + t] = 1;
            }

            tokens += ids.Count;
        }

        long[] shape = [rows, length];
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using OrtValue typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = loaded.Session.Run(
            runOptions,
            loaded.InputNames,
            [idsValue, maskValue, typesValue],
            loaded.OutputNames);
        ReadOnlySpan<float> hidden = outputs[0].GetTensorDataAsSpan<float>();
        int dimensions = Model.Dimensions;
        for (int r = 0; r < rows; r++)
        {
            var vector = new float[dimensions];
            ReadOnlySpan<float> row = hidden.Slice(r * length * dimensions, length * dimensions);
            if (Model.Pooling == EmbeddingPooling.Cls)
            {
                row[..dimensions].CopyTo(vector);
            }
            else
            {
                int count = batch[r].Ids.Count;
                for (int t = 0; t < count; t++)
                {
                    TensorPrimitives.Add(vector, row.Slice(t * dimensions, dimensions), vector);
                }

                TensorPrimitives.Divide(vector, count, vector);
            }

            float norm = TensorPrimitives.Norm<float>(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            vectors[batch[r].Index] = vector;
        }

        Interlocked.Increment(ref _modelRuns);
        Interlocked.Add(ref _textsEmbedded, rows);
        Interlocked.Add(ref _tokensEmbedded, tokens);
    }

    private Loaded Load()
    {
        long started = _options.TimeProvider.GetTimestamp();
        BertTokenizer tokenizer;
        using (Stream vocabulary = Model.OpenResource("vocab.txt"))
        {
            // Basic tokenization is ours (BertBasicTokenizer); the library does WordPiece on the space-separated result.
            tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = false, ApplyBasicTokenization = false });
        }

        byte[] graph;
        using (Stream stream = Model.OpenResource("model.onnx"))
        {
            graph = new byte[stream.Length];
            stream.ReadExactly(graph);
        }

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Math.Max(1, (_options.Threads > 0 ? _options.Threads : Environment.ProcessorCount) / _parallelism),
            InterOpNumThreads = 1,
        };

        // Worker threads sleep instead of spinning between runs, so parallel runs do not steal each other's cores.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.Parallelism == 1 ? "1" : "0");
        var session = new InferenceSession(graph, sessionOptions);
        return new Loaded(tokenizer, session, _options.TimeProvider.GetElapsedTime(started));
    }

    private sealed class Loaded(BertTokenizer tokenizer, InferenceSession session, TimeSpan loadTime)
    {
        public BertTokenizer Tokenizer { get; } = tokenizer;

        public InferenceSession Session { get; } = session;

        public TimeSpan LoadTime { get; } = loadTime;

        public string[] InputNames { get; } = ["input_ids", "attention_mask", "token_type_ids"];

        public string[] OutputNames { get; } = ["last_hidden_state"];
    }
}
