namespace SkGroq.Emulator.Chat;

/// <summary>Picks the known property name closest to an unknown one, for "did you mean 'Y'?": the longest common prefix first, then the Levenshtein distance, then the order listed.</summary>
/// <remarks>Reproduces every recorded suggestion: 'stream_options' → 'stream' (2024 list), 'max_completion_tokens' → 'max_tokens' (older list), 'model_used' → 'role'.</remarks>
internal static class PropertySuggester
{
    public static string Closest(string name, IReadOnlyList<string> candidates)
    {
        string best = candidates[0];
        int bestPrefix = -1;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int prefix = name.AsSpan().CommonPrefixLength(candidate);
            int distance = Distance(name, candidate);
            if (prefix > bestPrefix || (prefix == bestPrefix && distance < bestDistance))
            {
                best = candidate;
                bestPrefix = prefix;
                bestDistance = distance;
            }
        }

        return best;
    }

    public static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        Span<int> previous = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> current = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            current.CopyTo(previous);
        }

        return previous[b.Length];
    }
}
