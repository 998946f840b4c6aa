using System.Collections.Concurrent;

namespace SkGroq.Tokens;

/// <summary>Learns, per model and per (model, feature), how Groq's reported prompt tokens compare with the estimates.</summary>
/// <remarks>
/// Each observation's ratio reported / estimated is clamped to [<see cref="TokenCountingDefaults.MinCorrection"/>,
/// <see cref="TokenCountingDefaults.MaxCorrection"/>] and folded into an exponentially weighted average (the first
/// observation is taken as is). A feature's own correction wins once it has a sample; until then the model's applies.
/// Thread-safe; reads take no lock.
/// </remarks>
internal sealed class TokenCalibration
{
    private readonly ConcurrentDictionary<(string Model, string Feature), Cell> _cells = new();
    private int _cellCount;

    /// <summary>Gets the correction factor for a request.</summary>
    /// <param name="model">The model.</param>
    /// <param name="feature">The feature tag.</param>
    /// <returns>The factor; 1 when nothing was learned yet.</returns>
    public double GetFactor(string model, string? feature)
    {
        if (!string.IsNullOrEmpty(feature) && _cells.TryGetValue((model, feature), out Cell? own) && own.HasSamples)
        {
            return own.Ratio;
        }

        return _cells.TryGetValue((model, string.Empty), out Cell? shared) && shared.HasSamples ? shared.Ratio : 1.0;
    }

    /// <summary>Folds in one response.</summary>
    /// <param name="model">The model.</param>
    /// <param name="feature">The feature tag.</param>
    /// <param name="estimated">The estimated prompt tokens.</param>
    /// <param name="reported">The reported prompt tokens.</param>
    public void Observe(string model, string? feature, long estimated, long reported)
    {
        if (estimated <= 0 || reported <= 0)
        {
            return;
        }

        double ratio = Math.Clamp((double)reported / estimated, TokenCountingDefaults.MinCorrection, TokenCountingDefaults.MaxCorrection);
        GetOrAdd(model, string.Empty)?.Add(ratio);
        if (!string.IsNullOrEmpty(feature))
        {
            GetOrAdd(model, feature)?.Add(ratio);
        }
    }

    /// <summary>Gets a snapshot of every correction, ordered by model then feature.</summary>
    /// <returns>The corrections.</returns>
    public IReadOnlyList<TokenCorrection> Snapshot() => _cells
        .Where(static pair => pair.Value.HasSamples)
        .Select(static pair => pair.Value.ToCorrection(pair.Key.Model, pair.Key.Feature.Length == 0 ? null : pair.Key.Feature))
        .OrderBy(static c => c.Model, StringComparer.Ordinal)
        .ThenBy(static c => c.Feature, StringComparer.Ordinal)
        .ToList();

    private Cell? GetOrAdd(string model, string feature)
    {
        if (_cells.TryGetValue((model, feature), out Cell? cell))
        {
            return cell;
        }

        // Tags come from callers: bound the table so an unbounded set of tags cannot grow memory without end.
        if (Interlocked.Increment(ref _cellCount) > TokenCountingDefaults.MaxCorrections)
        {
            Interlocked.Decrement(ref _cellCount);
            return null;
        }

        Cell added = new();
        if (!_cells.TryAdd((model, feature), added))
        {
            Interlocked.Decrement(ref _cellCount);
            return _cells[(model, feature)];
        }

        return added;
    }

    private sealed class Cell
    {
        private readonly Lock _gate = new();
        private double _ratio = 1.0;
        private double _lastRatio = 1.0;
        private long _samples;

        public bool HasSamples => Volatile.Read(ref _samples) > 0;

        public double Ratio => Volatile.Read(ref _ratio);

        public void Add(double ratio)
        {
            lock (_gate)
            {
                double next = _samples == 0 ? ratio : _ratio + (TokenCountingDefaults.CalibrationSmoothing * (ratio - _ratio));
                Volatile.Write(ref _ratio, next);
                _lastRatio = ratio;
                Volatile.Write(ref _samples, _samples + 1);
            }
        }

        public TokenCorrection ToCorrection(string model, string? feature)
        {
            lock (_gate)
            {
                return new TokenCorrection(model, feature, _ratio, _samples, _lastRatio);
            }
        }
    }
}
