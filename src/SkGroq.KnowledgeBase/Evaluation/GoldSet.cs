using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkGroq.KnowledgeBase.Evaluation;

/// <summary>A retrieval gold set: questions with the source files that answer them, over one or more folders.</summary>
public sealed class GoldSet
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>Gets what the set is.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the folders of the corpus: the name a source path starts with → the folder, relative to the gold file.</summary>
    public IReadOnlyDictionary<string, string> Folders { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the questions.</summary>
    public IReadOnlyList<GoldQuestion> Questions { get; init; } = [];

    /// <summary>Gets the gold file's directory (folders are relative to it).</summary>
    [JsonIgnore]
    public string BaseDirectory { get; private set; } = string.Empty;

    /// <summary>Reads a gold set.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The gold set.</returns>
    /// <exception cref="InvalidDataException">The file is not a gold set; the message says what is wrong.</exception>
    public static async Task<GoldSet> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        GoldSet? set;
        try
        {
            FileStream stream = File.OpenRead(full);
            await using (stream.ConfigureAwait(false))
            {
                set = await JsonSerializer.DeserializeAsync<GoldSet>(stream, s_json, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The gold set '{full}' is not valid JSON ({ex.Message}).", ex);
        }

        if (set is null || set.Questions.Count == 0 || set.Folders.Count == 0)
        {
            throw new InvalidDataException($"The gold set '{full}' has no questions or no folders. See samples/kb-eval/gold.json for the format.");
        }

        foreach (GoldQuestion question in set.Questions)
        {
            string? unknown = question.Sources.FirstOrDefault(s => !set.Folders.Keys.Any(f => s.StartsWith(f + "/", StringComparison.Ordinal)));
            if (unknown is not null)
            {
                throw new InvalidDataException($"Question {question.Id} of '{full}' names the source '{unknown}', which is in none of the folders ({string.Join(", ", set.Folders.Keys)}).");
            }
        }

        set.BaseDirectory = Path.GetDirectoryName(full)!;
        return set;
    }

    /// <summary>Copies the corpus folders into one folder, each under its name, so one index covers them all.</summary>
    /// <param name="destination">The folder to fill (emptied of documents that are no longer in the corpus).</param>
    /// <returns>A task.</returns>
    public async Task CopyCorpusAsync(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, string relative) in Folders)
        {
            string source = Path.GetFullPath(Path.Combine(BaseDirectory, relative));
            if (!Directory.Exists(source))
            {
                throw new DirectoryNotFoundException($"The gold set's folder '{name}' ({source}) does not exist.");
            }

            foreach ((string path, string relativePath) in Ingestion.DocumentReader.List(source))
            {
                string target = Path.Combine(destination, name, relativePath);
                wanted.Add(Path.GetFullPath(target));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                byte[] bytes = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
                if (!File.Exists(target) || !(await File.ReadAllBytesAsync(target).ConfigureAwait(false)).AsSpan().SequenceEqual(bytes))
                {
                    await File.WriteAllBytesAsync(target, bytes).ConfigureAwait(false);
                }
            }
        }

        foreach (string file in Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories))
        {
            if (!wanted.Contains(Path.GetFullPath(file)))
            {
                File.Delete(file);
            }
        }
    }
}

/// <summary>One question of a gold set.</summary>
public sealed class GoldQuestion
{
    /// <summary>Gets the question's id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the kind: <c>paraphrase</c>, <c>keyword</c>, <c>two-document</c> or <c>unanswerable</c>.</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>Gets the question.</summary>
    public string Question { get; init; } = string.Empty;

    /// <summary>Gets the source files that answer it (empty for an unanswerable question).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}
