using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>Splits a Markdown document into sections by its headings, parsed with Markdig (a <c>#</c> line inside a code fence is code, not a heading).</summary>
public static class MarkdownSections
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Reads the sections of a Markdown document.</summary>
    /// <param name="text">The document.</param>
    /// <param name="title">The title used when the document has no top-level heading (e.g. the file name).</param>
    /// <returns>The sections in document order; headings themselves are not content, blank sections are left out.</returns>
    public static IReadOnlyList<DocumentSection> Read(string text, string title)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(title);
        string normalized = text.ReplaceLineEndings("\n");
        string[] lines = normalized.Split('\n');
        MarkdownDocument document = Markdown.Parse(normalized, s_pipeline);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < normalized.Length; i++)
        {
            if (normalized[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        int LineOf(int offset)
        {
            int index = lineStarts.BinarySearch(offset);
            return index >= 0 ? index : ~index - 1;
        }

        // Heading lines (0-based) and their levels, top-level blocks only: nothing inside a fence, quote or list is a heading.
        var headings = new List<(int Line, int LastLine, int Level, string Text)>();
        foreach (Block block in document)
        {
            if (block is HeadingBlock heading)
            {
                // The span covers a setext heading's text and underline alike.
                headings.Add((LineOf(heading.Span.Start), LineOf(Math.Max(heading.Span.Start, heading.Span.End)), heading.Level, InlineText(heading.Inline).Trim()));
            }
        }

        var sections = new List<DocumentSection>();
        var path = new List<(int Level, string Text)>();
        string documentTitle = title;
        int h1Count = headings.Count(h => h.Level == 1);
        if (h1Count == 1 && headings[0].Level == 1)
        {
            documentTitle = headings[0].Text;
        }

        void Add(int from, int to)
        {
            var body = new List<(int, string)>();
            for (int i = from; i < to && i < lines.Length; i++)
            {
                body.Add((i + 1, lines[i]));
            }

            if (body.Any(l => !string.IsNullOrWhiteSpace(l.Item2)))
            {
                IEnumerable<string> parts = path.Where(p => !(p.Level == 1 && p.Text == documentTitle)).Select(p => p.Text);
                sections.Add(new DocumentSection(string.Join(" › ", parts.Prepend(documentTitle)), TrimBlank(body)));
            }
        }

        int start = 0;
        foreach ((int line, int lastLine, int level, string heading) in headings)
        {
            Add(start, line);
            path.RemoveAll(p => p.Level >= level);
            path.Add((level, heading.Length > 0 ? heading : documentTitle));
            start = lastLine + 1;
        }

        Add(start, lines.Length);
        return sections;
    }

    private static List<(int, string)> TrimBlank(List<(int Number, string Text)> lines)
    {
        int first = lines.FindIndex(l => !string.IsNullOrWhiteSpace(l.Text));
        int last = lines.FindLastIndex(l => !string.IsNullOrWhiteSpace(l.Text));
        return lines.GetRange(first, last - first + 1);
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder();
        foreach (Inline child in inline.Descendants())
        {
            switch (child)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
            }
        }

        return text.ToString();
    }
}
