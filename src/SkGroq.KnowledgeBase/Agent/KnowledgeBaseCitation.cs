using SkGroq.KnowledgeBase.Search;

namespace SkGroq.KnowledgeBase.Agent;

/// <summary>A citation in an answer, checked against the passages the model was given.</summary>
/// <param name="Label">The label as written, e.g. <c>S2</c>.</param>
/// <param name="Hit">The passage it names; <see langword="null"/> when the model cited something it was not given.</param>
public sealed record KnowledgeBaseCitation(string Label, KnowledgeBaseHit? Hit)
{
    /// <summary>Gets a value indicating whether the citation names a passage the model was given.</summary>
    public bool IsValid => Hit is not null;
}
