using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>Reads the text of a PDF with PdfPig, one section per page.</summary>
public static class PdfSections
{
    /// <summary>Reads the pages of a PDF that have text.</summary>
    /// <param name="pdf">The file's bytes.</param>
    /// <param name="title">The document title (the file name).</param>
    /// <returns>One section per page with text; empty for a scanned PDF (images only).</returns>
    /// <exception cref="InvalidDataException">The bytes are not a readable PDF.</exception>
    public static IReadOnlyList<DocumentSection> Read(byte[] pdf, string title)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var sections = new List<DocumentSection>();
        try
        {
            using PdfDocument document = PdfDocument.Open(pdf);
            foreach (Page page in document.GetPages())
            {
                string text = ContentOrderTextExtractor.GetText(page);
                string[] lines = text.ReplaceLineEndings("\n").Split('\n');
                var numbered = lines.Select((l, i) => (i + 1, l.TrimEnd())).Where(l => !string.IsNullOrWhiteSpace(l.Item2)).ToList();
                if (numbered.Count > 0)
                {
                    sections.Add(new DocumentSection($"{title} › page {page.Number}", numbered, page.Number));
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"not a readable PDF ({ex.Message})", ex);
        }

        return sections;
    }
}
