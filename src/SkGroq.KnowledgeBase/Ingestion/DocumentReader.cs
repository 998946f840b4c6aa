using System.Text;

namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>Reads the files of a knowledge-base folder into sections, and says why a file cannot be read instead of failing the whole folder.</summary>
public static class DocumentReader
{
    /// <summary>Gets the file extensions read: Markdown, text and PDF.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".md", ".markdown", ".txt", ".pdf"];

    /// <summary>The largest file read by default: 20 MB.</summary>
    public const long DefaultMaxFileBytes = 20L * 1024 * 1024;

    /// <summary>Lists the documents of a folder (recursively, in ordinal order of their relative paths).</summary>
    /// <param name="root">The folder's full path.</param>
    /// <returns>The files, with their paths relative to the folder ('/' separators).</returns>
    public static IReadOnlyList<(string Path, string Source)> List(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        return Directory.EnumerateFiles(root, "*", options)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => (Path: f, Source: Path.GetRelativePath(root, f).Replace('\\', '/')))
            .OrderBy(f => f.Source, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads one document.</summary>
    /// <param name="bytes">The file's content.</param>
    /// <param name="source">Its path relative to the folder.</param>
    /// <returns>The sections, or why the file was skipped; a note when it was read with a fallback (e.g. not UTF-8).</returns>
    public static DocumentReadResult Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        string title = Path.GetFileNameWithoutExtension(source);
        if (source.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                IReadOnlyList<DocumentSection> pages = PdfSections.Read(bytes, title);
                return pages.Count == 0
                    ? DocumentReadResult.Skip("the PDF has no text layer (a scan?); run it through OCR and index the result")
                    : new DocumentReadResult(pages, null, null);
            }
            catch (InvalidDataException ex)
            {
                return DocumentReadResult.Skip(ex.Message);
            }
        }

        if (LooksBinary(bytes))
        {
            return DocumentReadResult.Skip("binary content (NUL bytes), not text; give it a .pdf extension if it is a PDF, or remove it");
        }

        string? note = null;
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(bytes);
            note = "not valid UTF-8; read as Latin-1 — save it as UTF-8 if characters look wrong";
        }

        text = text.TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text))
        {
            return DocumentReadResult.Skip("the file is empty");
        }

        IReadOnlyList<DocumentSection> sections = source.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)
            ? [new DocumentSection(title, text.ReplaceLineEndings("\n").Split('\n').Select((l, i) => (i + 1, l)).ToList())]
            : MarkdownSections.Read(text, title);
        return new DocumentReadResult(sections, null, note);
    }

    private static bool LooksBinary(byte[] bytes) => bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0);
}

/// <summary>What reading one document gave.</summary>
/// <param name="Sections">The sections; empty when the file was skipped.</param>
/// <param name="SkipReason">Why the file was skipped; <see langword="null"/> when it was read.</param>
/// <param name="Note">A remark on a file that was read (e.g. decoded as Latin-1).</param>
public sealed record DocumentReadResult(IReadOnlyList<DocumentSection> Sections, string? SkipReason, string? Note)
{
    internal static DocumentReadResult Skip(string reason) => new([], reason, null);
}
