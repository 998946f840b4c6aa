namespace SkGroq.Tokens;

/// <summary>How SkGroq counts tokens for one model.</summary>
/// <param name="Model">The model id.</param>
/// <param name="Family">The tokenizer family (one of <see cref="TokenizerFamilies"/>).</param>
/// <param name="Vocabulary">The vocabulary used (one of <see cref="TokenVocabularies"/>).</param>
/// <param name="IsExact">Whether counts are exact (the model's own vocabulary and a verified template).</param>
/// <param name="Note">Why this vocabulary, and what to do for an exact count when there is something to do.</param>
public sealed record TokenCounterDescription(string Model, string Family, string Vocabulary, bool IsExact, string Note);
