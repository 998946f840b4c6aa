using System.Collections.Concurrent;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Chat;

/// <summary>Deterministic, plausible English: sentences from a small grammar, seeded, cut to a token target at a sentence end.</summary>
internal sealed class TextGenerator
{
    private static readonly string[] s_determiners = ["the", "a", "this", "each", "every", "that", "one"];
    private static readonly string[] s_adjectives =
    [
        "simple", "useful", "careful", "clear", "small", "large", "common", "reliable", "quick", "steady", "practical", "modern",
        "important", "different", "local", "general", "complete", "specific", "final", "early", "recent", "typical", "stable", "safe",
    ];

    private static readonly string[] s_nouns =
    [
        "answer", "question", "system", "request", "model", "result", "example", "process", "method", "value", "team", "project",
        "problem", "solution", "idea", "reason", "change", "detail", "step", "plan", "service", "message", "record", "report",
        "limit", "window", "token", "list", "user", "task", "choice", "path", "rule", "test", "source", "budget",
    ];

    private static readonly string[] s_verbs =
    [
        "explains", "supports", "describes", "improves", "follows", "checks", "uses", "needs", "shows", "keeps", "returns",
        "handles", "covers", "reaches", "builds", "changes", "measures", "protects", "reduces", "includes",
    ];

    private static readonly string[] s_baseVerbs =
    [
        "explain", "support", "describe", "improve", "follow", "check", "use", "need", "show", "keep", "return", "handle",
        "cover", "reach", "build", "change", "measure", "protect", "reduce", "include",
    ];

    private static readonly string[] s_prepositions = ["in", "for", "with", "from", "about", "after", "before", "across", "within", "under"];
    private static readonly string[] s_adverbs = ["quickly", "carefully", "often", "usually", "clearly", "always", "rarely", "again", "well", "early"];
    private static readonly string[] s_openers = ["In short", "For example", "In practice", "As a rule", "In most cases", "Put simply", "At first", "Even so"];
    private static readonly string[] s_pronouns = ["You", "We", "It", "They"];
    private static readonly string[] s_modals = ["can", "should", "will", "may", "must"];
    private static readonly string[] s_conjunctions = ["and", "but", "so", "or"];

    // Every piece the grammar can produce, built once: word pieces have a leading space (" answer"), sentence starts are
    // capitalized and may open a paragraph. Generating text then allocates nothing per word.
    private static readonly Lazy<Pieces> s_pieces = new(() => new Pieces());

    [ThreadStatic]
    private static List<int>? s_words;

    private readonly ConcurrentDictionary<string, int[]> _counts = new(StringComparer.Ordinal);

    /// <summary>Appends sentences to <paramref name="output"/> until it holds at least <paramref name="targetTokens"/> tokens.</summary>
    public void Generate(ulong seed, int targetTokens, string model, Func<string, int> count, PieceText output)
    {
        Pieces pieces = s_pieces.Value;
        int[] counts = _counts.GetOrAdd(model, static (_, p) => new int[p.Spaced.Length * 4], pieces);
        List<int> words = s_words ??= new List<int>(16);
        ulong state = seed;
        int sentences = 0;
        while (output.Tokens < targetTokens)
        {
            words.Clear();
            Sentence(ref state, words, pieces);
            for (int i = 0; i < words.Count; i++)
            {
                int word = words[i];
                int variant = i > 0 ? 0 : output.Length == 0 ? 1 : sentences % 4 == 0 ? 2 : 3;
                string piece = variant switch
                {
                    0 => pieces.IsPunctuation(word) ? pieces.Bare[word] : pieces.Spaced[word],
                    1 => pieces.Capital[word],
                    2 => pieces.Paragraph[word],
                    _ => pieces.SpacedCapital[word],
                };
                int slot = (word * 4) + variant;
                int tokens = Volatile.Read(ref counts[slot]);
                if (tokens == 0)
                {
                    // Counts are pure functions of the piece: a race writes the same value twice.
                    tokens = Math.Max(1, count(piece));
                    Volatile.Write(ref counts[slot], tokens);
                }

                output.Append(piece, tokens);
            }

            sentences++;
        }
    }

    private static void Sentence(ref ulong state, List<int> words, Pieces p)
    {
        switch (SplitMix64.NextInt(ref state, 4))
        {
            case 0:
                words.Add(Pick(ref state, p.Determiners));
                words.Add(Pick(ref state, p.Adjectives));
                words.Add(Pick(ref state, p.Nouns));
                words.Add(Pick(ref state, p.Verbs));
                words.Add(p.The);
                words.Add(Pick(ref state, p.Nouns));
                words.Add(Pick(ref state, p.Prepositions));
                words.Add(Pick(ref state, p.Determiners));
                words.Add(Pick(ref state, p.Adjectives));
                words.Add(Pick(ref state, p.Nouns));
                break;
            case 1:
                int opener = Pick(ref state, p.Openers.Length);
                foreach (int part in p.Openers[opener])
                {
                    words.Add(part);
                }

                words.Add(p.Comma);
                words.Add(p.The);
                words.Add(Pick(ref state, p.Nouns));
                words.Add(Pick(ref state, p.Verbs));
                words.Add(Pick(ref state, p.Determiners));
                words.Add(Pick(ref state, p.Nouns));
                words.Add(Pick(ref state, p.Adverbs));
                break;
            case 2:
                words.Add(Pick(ref state, p.Pronouns));
                words.Add(Pick(ref state, p.Modals));
                words.Add(Pick(ref state, p.BaseVerbs));
                words.Add(p.The);
                words.Add(Pick(ref state, p.Adjectives));
                words.Add(Pick(ref state, p.Nouns));
                words.Add(Pick(ref state, p.Conjunctions));
                words.Add(Pick(ref state, p.BaseVerbs));
                words.Add(Pick(ref state, p.Determiners));
                words.Add(Pick(ref state, p.Nouns));
                words.Add(Pick(ref state, p.Prepositions));
                words.Add(p.The);
                words.Add(Pick(ref state, p.Nouns));
                break;
            default:
                words.Add(p.This);
                words.Add(Pick(ref state, p.Verbs));
                words.Add(p.The);
                words.Add(Pick(ref state, p.Nouns));
                words.Add(Pick(ref state, p.Prepositions));
                words.Add(Pick(ref state, p.Adjectives));
                words.Add(Pick(ref state, p.Plurals));
                break;
        }

        words.Add(p.Period);
    }

    private static int Pick(ref ulong state, int[] words) => words[SplitMix64.NextInt(ref state, words.Length)];

    private static int Pick(ref ulong state, int count) => SplitMix64.NextInt(ref state, count);

    private static string Capitalize(string word) => char.IsAsciiLetterLower(word[0]) ? string.Concat(char.ToUpperInvariant(word[0]).ToString(), word.AsSpan(1)) : word;

    /// <summary>The word table: every word once, with its four spellings, and the grammar's word classes as indexes.</summary>
    private sealed class Pieces
    {
        private readonly List<string> _words = [];

        public Pieces()
        {
            Determiners = Add(s_determiners);
            Adjectives = Add(s_adjectives);
            Nouns = Add(s_nouns);
            Plurals = Add(Array.ConvertAll(s_nouns, Plural));
            Verbs = Add(s_verbs);
            BaseVerbs = Add(s_baseVerbs);
            Prepositions = Add(s_prepositions);
            Adverbs = Add(s_adverbs);
            Pronouns = Add(s_pronouns);
            Modals = Add(s_modals);
            Conjunctions = Add(s_conjunctions);
            Openers = Array.ConvertAll(s_openers, o => Add(o.Split(' ')));
            The = Add(["the"])[0];
            This = Add(["this"])[0];
            Comma = Add([","])[0];
            Period = Add(["."])[0];
            Bare = [.. _words];
            Spaced = Array.ConvertAll(Bare, w => " " + w);
            Capital = Array.ConvertAll(Bare, Capitalize);
            SpacedCapital = Array.ConvertAll(Capital, w => " " + w);
            Paragraph = Array.ConvertAll(Capital, w => "\n\n" + w);
        }

        public int[] Determiners { get; }

        public int[] Adjectives { get; }

        public int[] Nouns { get; }

        public int[] Plurals { get; }

        public int[] Verbs { get; }

        public int[] BaseVerbs { get; }

        public int[] Prepositions { get; }

        public int[] Adverbs { get; }

        public int[] Pronouns { get; }

        public int[] Modals { get; }

        public int[] Conjunctions { get; }

        public int[][] Openers { get; }

        public int The { get; }

        public int This { get; }

        public int Comma { get; }

        public int Period { get; }

        public string[] Bare { get; }

        public string[] Spaced { get; }

        public string[] Capital { get; }

        public string[] SpacedCapital { get; }

        public string[] Paragraph { get; }

        public bool IsPunctuation(int word) => word == Comma || word == Period;

        /// <summary>The English plural of a noun of the table: <c>process</c> → <c>processes</c>, <c>rule</c> → <c>rules</c>.</summary>
        private static string Plural(string noun) =>
            noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal)
                ? noun + "es"
                : noun + "s";

        private int[] Add(string[] words)
        {
            int[] indexes = new int[words.Length];
            for (int i = 0; i < words.Length; i++)
            {
                int at = _words.IndexOf(words[i]);
                if (at < 0)
                {
                    at = _words.Count;
                    _words.Add(words[i]);
                }

                indexes[i] = at;
            }

            return indexes;
        }
    }
}
