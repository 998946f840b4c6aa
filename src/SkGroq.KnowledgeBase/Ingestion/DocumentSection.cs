namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>A run of a document under one heading path (or one PDF page): the unit the chunker cuts.</summary>
/// <param name="Heading">The heading path, e.g. <c>Vacation policy › Carry-over</c>.</param>
/// <param name="Lines">The section's lines, each with its 1-based line number in the document (or on the page).</param>
/// <param name="Page">The 1-based PDF page; <see langword="null"/> for text documents.</param>
public sealed record DocumentSection(string Heading, IReadOnlyList<(int Number, string Text)> Lines, int? Page = null);
