namespace SkGroq.KnowledgeBase;

/// <summary>One searchable passage of a knowledge-base document (a Markdown section, or part of a long one).</summary>
/// <param name="Source">The document's path relative to the knowledge-base folder, with '/' separators, e.g. <c>policies/vacation.md</c>.</param>
/// <param name="Title">The document title and section heading, e.g. <c>Expense policy › Limits</c>.</param>
/// <param name="Text">The passage text.</param>
public sealed record KnowledgeBasePassage(string Source, string Title, string Text);
