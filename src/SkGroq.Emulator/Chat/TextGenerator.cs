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

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, int>> _counts = new(StringComparer.Ordinal);

    /// <summary>Appends sentences to <paramref name="output"/> until it holds at least <paramref name="targetTokens"/> tokens.</summary>
    public void Generate(ulong seed, int targetTokens, string model, Func<string, int> count, PieceText output)
    {
        ConcurrentDictionary<string, int> cache = _counts.GetOrAdd(model, static _ => new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        ulong state = seed;
        int sentences = 0;
        var words = new List<string>(16);
        while (output.Tokens < targetTokens)
        {
            words.Clear();
            Sentence(ref state, words);
            for (int i = 0; i < words.Count; i++)
            {
                string word = words[i];
                bool first = i == 0;
                bool punctuation = word is "." or "," or "?";
                string piece = first
                    ? (output.Length == 0 ? Capitalize(word) : (sentences % 4 == 0 ? "\n\n" : " ") + Capitalize(word))
                    : punctuation ? word : " " + word;
                output.Append(piece, cache.GetOrAdd(piece, count));
            }

            sentences++;
        }
    }

    private static void Sentence(ref ulong state, List<string> words)
    {
        switch (SplitMix64.NextInt(ref state, 4))
        {
            case 0:
                words.Add(Pick(ref state, s_determiners));
                words.Add(Pick(ref state, s_adjectives));
                words.Add(Pick(ref state, s_nouns));
                words.Add(Pick(ref state, s_verbs));
                words.Add("the");
                words.Add(Pick(ref state, s_nouns));
                words.Add(Pick(ref state, s_prepositions));
                words.Add(Pick(ref state, s_determiners));
                words.Add(Pick(ref state, s_adjectives));
                words.Add(Pick(ref state, s_nouns));
                break;
            case 1:
                foreach (string part in Pick(ref state, s_openers).Split(' '))
                {
                    words.Add(part);
                }

                words.Add(",");
                words.Add("the");
                words.Add(Pick(ref state, s_nouns));
                words.Add(Pick(ref state, s_verbs));
                words.Add(Pick(ref state, s_determiners));
                words.Add(Pick(ref state, s_nouns));
                words.Add(Pick(ref state, s_adverbs));
                break;
            case 2:
                words.Add(Pick(ref state, s_pronouns));
                words.Add(Pick(ref state, s_modals));
                words.Add(Pick(ref state, s_baseVerbs));
                words.Add("the");
                words.Add(Pick(ref state, s_adjectives));
                words.Add(Pick(ref state, s_nouns));
                words.Add(Pick(ref state, s_conjunctions));
                words.Add(Pick(ref state, s_baseVerbs));
                words.Add(Pick(ref state, s_determiners));
                words.Add(Pick(ref state, s_nouns));
                words.Add(Pick(ref state, s_prepositions));
                words.Add("the");
                words.Add(Pick(ref state, s_nouns));
                break;
            default:
                words.Add("this");
                words.Add(Pick(ref state, s_verbs));
                words.Add("the");
                words.Add(Pick(ref state, s_nouns));
                words.Add(Pick(ref state, s_prepositions));
                words.Add(Pick(ref state, s_adjectives));
                words.Add(Pick(ref state, s_nouns) + "s");
                break;
        }

        words.Add(".");
    }

    private static string Pick(ref ulong state, string[] words) => words[SplitMix64.NextInt(ref state, words.Length)];

    private static string Capitalize(string word) => char.IsAsciiLetterLower(word[0]) ? string.Concat(char.ToUpperInvariant(word[0]).ToString(), word.AsSpan(1)) : word;
}
