using System.Text;
using System.Text.Json;
using SkGroq.Tokens;

namespace SkGroq.Benchmarks.Tokens;

/// <summary>Deterministic benchmark inputs.</summary>
internal static class BenchmarkText
{
    private static readonly string[] s_words =
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not", "he", "this", "are",
        "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her",
        "has", "there", "been", "if", "more", "when", "will", "would", "who", "so", "no", "model", "request", "token", "limit", "minute",
        "response", "stream", "server", "latency", "budget", "queue", "priority", "deadline", "retry", "backoff", "circuit", "breaker",
        "capital", "France", "Paris", "question", "answer", "summary", "document", "knowledge", "search", "function", "parameter", "value",
        "configuration", "environment", "production", "reliable", "accurate", "estimate", "calibration", "vocabulary", "template",
        "assistant", "developer", "application", "throughput", "concurrency", "exception", "timeout", "cancellation", "provider",
    ];

    /// <summary>English-like prose of about <paramref name="tokens"/> tokens: words, commas, sentences, numbers, paragraphs.</summary>
    public static string Prose(ITokenCounter counter, int tokens)
    {
        var random = new Random(7);
        var text = new StringBuilder();
        while (counter.CountTokens(text.ToString()) < tokens)
        {
            int length = random.Next(6, 18);
            for (int i = 0; i < length; i++)
            {
                string word = s_words[random.Next(s_words.Length)];
                text.Append(i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                text.Append(i == length - 1 ? ". " : random.Next(8) == 0 ? ", " : " ");
            }

            if (random.Next(5) == 0)
            {
                text.Append("In ").Append(random.Next(1990, 2030)).Append(", ").Append(random.Next(100, 99_999)).Append(" requests failed.\n\n");
            }
        }

        return text.ToString();
    }

    /// <summary>200,000 characters of random lowercase letters: one unbroken pre-tokenizer piece.</summary>
    public static string RandomLetters(int length)
    {
        var random = new Random(11);
        return string.Create(length, random, static (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
    }

    /// <summary>Texts of random pseudo-words (3–8 letters, space-separated): every word is new to a cache.</summary>
    public static string[] PseudoWordTexts(int count, int words)
    {
        var random = new Random(13);
        var texts = new string[count];
        var text = new StringBuilder();
        for (int t = 0; t < count; t++)
        {
            text.Clear();
            for (int w = 0; w < words; w++)
            {
                int length = random.Next(3, 9);
                text.Append(' ');
                for (int i = 0; i < length; i++)
                {
                    text.Append((char)('a' + random.Next(26)));
                }
            }

            texts[t] = text.ToString();
        }

        return texts;
    }

    /// <summary>An OpenAI chat-completion request body.</summary>
    public static string ChatRequest(string model, string system, string user) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["model"] = model,
        ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "system", ["content"] = system }, new Dictionary<string, string> { ["role"] = "user", ["content"] = user } },
        ["max_tokens"] = 512,
        ["stream"] = true,
    });
}
