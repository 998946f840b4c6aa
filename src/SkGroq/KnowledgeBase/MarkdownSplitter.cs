using System.Text;

namespace SkGroq.KnowledgeBase;

/// <summary>Splits a Markdown or text document into passages: one per section, long sections cut at paragraph boundaries.</summary>
internal static class MarkdownSplitter
{
    /// <summary>The longest passage, in characters, before a section is cut at a paragraph boundary.</summary>
    public const int MaxPassageLength = 1200;

    public static IEnumerable<KnowledgeBasePassage> Split(string source, string text)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        string? documentTitle = null;
        string? section = null;
        var body = new StringBuilder();
        var passages = new List<KnowledgeBasePassage>();

        void Flush()
        {
            string content = body.ToString().Trim();
            body.Clear();
            if (content.Length == 0)
            {
                return;
            }

            string title = (documentTitle, section) switch
            {
                (null, null) => Path.GetFileNameWithoutExtension(source),
                ({ } d, null) => d,
                (null, { } s) => s,
                ({ } d, { } s) => $"{d} › {s}",
            };
            foreach (string part in Cut(content))
            {
                passages.Add(new KnowledgeBasePassage(source, title, part));
            }
        }

        foreach (string line in lines)
        {
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith('#'))
            {
                Flush();
                string heading = trimmed.TrimStart('#').Trim();
                if (trimmed.StartsWith("# ", StringComparison.Ordinal) && documentTitle is null)
                {
                    documentTitle = heading;
                    section = null;
                }
                else
                {
                    section = heading;
                }

                continue;
            }

            body.AppendLine(line);
        }

        Flush();
        return passages;
    }

    private static IEnumerable<string> Cut(string content)
    {
        if (content.Length <= MaxPassageLength)
        {
            yield return content;
            yield break;
        }

        var current = new StringBuilder();
        foreach (string paragraph in content.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (current.Length > 0 && current.Length + paragraph.Length > MaxPassageLength)
            {
                yield return current.ToString();
                current.Clear();
            }

            // A single paragraph longer than the limit stays whole: cutting mid-sentence loses more than it gains.
            current.Append(current.Length > 0 ? "\n\n" : string.Empty).Append(paragraph);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
