namespace SkGroq.Tokens;

/// <summary>A learned correction of prompt-token estimates: reported over estimated, exponentially weighted.</summary>
/// <param name="Model">The model.</param>
/// <param name="Feature">The feature tag; <see langword="null"/> for the model's correction over all features.</param>
/// <param name="Ratio">The smoothed ratio of reported to estimated prompt tokens applied to budgets.</param>
/// <param name="Samples">The number of responses observed.</param>
/// <param name="LastRatio">The ratio of the latest response.</param>
internal sealed record TokenCorrection(string Model, string? Feature, double Ratio, long Samples, double LastRatio);
