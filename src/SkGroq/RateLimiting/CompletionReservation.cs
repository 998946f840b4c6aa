using System.Collections.Concurrent;

namespace SkGroq.RateLimiting;

/// <summary>
/// The completion tokens to reserve for a request that sets no max tokens, learnt per model from the completions seen: the
/// 95th percentile of the last <see cref="Window"/> answers to such requests, once <see cref="MinimumSamples"/> were seen;
/// before that (or when learning is off) the configured <see cref="RateLimitingOptions.DefaultMaxTokensReservation"/>.
/// </summary>
/// <remarks>
/// Pure logic and thread-safe: a lock per model around a ring of recent completions. The percentile is recomputed while the
/// ring fills and then on every sixteenth answer, so the answer path pays a sort of 128 numbers rarely, and a read is one field.
/// </remarks>
internal sealed class CompletionReservation
{
    /// <summary>How many recent completions of a model are kept.</summary>
    public const int Window = 128;

    /// <summary>How many completions of a model are seen before they replace the configured default.</summary>
    public const int MinimumSamples = 16;

    private const double Percentile = 0.95;
    private const int RecomputeEvery = 16;

    private readonly ConcurrentDictionary<string, ModelCompletions> _models = new(StringComparer.Ordinal);
    private readonly int _initial;
    private readonly bool _learn;

    /// <summary>Initializes a new instance of the <see cref="CompletionReservation"/> class.</summary>
    /// <param name="initial">The reservation before enough completions were seen.</param>
    /// <param name="learn">Whether observed completions replace <paramref name="initial"/>.</param>
    public CompletionReservation(int initial, bool learn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initial);
        _initial = initial;
        _learn = learn;
    }

    /// <summary>Gets the completion tokens to reserve for a request to <paramref name="model"/> without max tokens.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The learnt percentile, or the configured default.</returns>
    public int For(string model)
        => _learn && _models.TryGetValue(model, out ModelCompletions? completions) && completions.Estimate is > 0 and int learnt ? learnt : _initial;

    /// <summary>Records the completion tokens of an answer to a request that set no max tokens.</summary>
    /// <param name="model">The model that answered.</param>
    /// <param name="completionTokens">The completion tokens the server reported.</param>
    public void Observe(string model, long completionTokens)
    {
        if (!_learn || completionTokens < 0)
        {
            return;
        }

        _models.GetOrAdd(model, static _ => new ModelCompletions()).Add((int)Math.Min(completionTokens, int.MaxValue));
    }

    private sealed class ModelCompletions
    {
        private readonly Lock _gate = new();
        private readonly int[] _ring = new int[Window];
        private readonly int[] _sorted = new int[Window];
        private long _count;
        private volatile int _estimate;

        public int Estimate => _estimate;

        public void Add(int tokens)
        {
            lock (_gate)
            {
                _ring[(int)(_count % Window)] = tokens;
                _count++;
                if (_count < MinimumSamples || (_count > Window && _count % RecomputeEvery != 0))
                {
                    return;
                }

                int n = (int)Math.Min(_count, Window);
                Array.Copy(_ring, _sorted, n);
                Array.Sort(_sorted, 0, n);
                _estimate = Math.Max(1, _sorted[(int)Math.Ceiling(Percentile * n) - 1]);
            }
        }
    }
}
