using System.Text;
using SkGroq.KnowledgeBase.Ingestion;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace SkGroq.Tests.KnowledgeBase;

public sealed class DocumentReaderTests
{
    [Fact]
    public void Read_TextPdf_GivesOneSectionPerPageWithItsNumber()
    {
        byte[] pdf = Pdf(["Refund policy", "Refunds are paid within 14 days."], ["Second page text."]);

        DocumentReadResult read = DocumentReader.Read(pdf, "refunds.pdf");

        Assert.Null(read.SkipReason);
        Assert.Equal([1, 2], read.Sections.Select(s => s.Page!.Value));
        Assert.Equal("refunds › page 1", read.Sections[0].Heading);
        Assert.Contains(read.Sections[0].Lines, l => l.Text.Contains("within 14 days", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_PdfWithoutText_IsSkippedWithWhatToDo()
    {
        DocumentReadResult read = DocumentReader.Read(Pdf([]), "scan.pdf");

        Assert.Empty(read.Sections);
        Assert.Contains("no text layer", read.SkipReason, StringComparison.Ordinal);
        Assert.Contains("OCR", read.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorruptPdf_IsSkipped()
    {
        DocumentReadResult read = DocumentReader.Read(Encoding.ASCII.GetBytes("%PDF-1.7\nthis is not really a pdf"), "broken.pdf");

        Assert.Contains("not a readable PDF", read.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BinaryFileWithATextExtension_IsSkipped()
    {
        DocumentReadResult read = DocumentReader.Read([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x14, 0x00], "archive.md");

        Assert.Contains("binary", read.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Latin1Text_IsReadAndNoted()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes("# Café\n\nCrème brûlée policy.");

        DocumentReadResult read = DocumentReader.Read(latin1, "menu.md");

        Assert.Null(read.SkipReason);
        Assert.Contains("not valid UTF-8", read.Note, StringComparison.Ordinal);
        Assert.Equal("Café", read.Sections.Single().Heading);
        Assert.Contains("Crème brûlée", read.Sections.Single().Lines.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_IsSkipped()
    {
        Assert.Equal("the file is empty", DocumentReader.Read(Encoding.UTF8.GetBytes("  \n\n"), "empty.txt").SkipReason);
    }

    [Fact]
    public void Read_PlainText_KeepsLineNumbers()
    {
        DocumentReadResult read = DocumentReader.Read(Encoding.UTF8.GetBytes("one\n# not a heading in a .txt\nthree"), "notes.txt");

        DocumentSection section = Assert.Single(read.Sections);
        Assert.Equal("notes", section.Heading);
        Assert.Equal([1, 2, 3], section.Lines.Select(l => l.Number));
    }

    internal static byte[] Pdf(params string[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        PdfDocumentBuilder.AddedFont font = builder.AddStandard14Font(Standard14Font.Helvetica);
        if (pages.Length == 0)
        {
            builder.AddPage(PageSize.A4);
        }

        foreach (string[] lines in pages)
        {
            PdfPageBuilder page = builder.AddPage(PageSize.A4);
            for (int i = 0; i < lines.Length; i++)
            {
                page.AddText(lines[i], 12, new PdfPoint(50, 780 - (i * 20)), font);
            }
        }

        return builder.Build();
    }
}
