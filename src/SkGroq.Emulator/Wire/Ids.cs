namespace SkGroq.Emulator.Wire;

/// <summary>Groq-shaped identifiers: <c>req_01…</c> (26 lowercase Crockford base32, ULID-like), <c>chatcmpl-&lt;uuid4&gt;</c>, tool call ids, fingerprints.</summary>
internal static class Ids
{
    private const string Crockford = "0123456789abcdefghjkmnpqrstvwxyz";
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A request id: <c>req_</c> + 48-bit millisecond time and 80 random bits in 26 Crockford base32 characters, like <c>req_01m48tqzdve5v8d97j7jgm40as</c>.</summary>
    public static string RequestId(DateTimeOffset now)
    {
        return string.Create(30, now.ToUnixTimeMilliseconds(), static (span, ms) =>
        {
            "req_".CopyTo(span);
            Span<char> id = span[4..];
            for (int i = 9; i >= 0; i--)
            {
                id[i] = Crockford[(int)(ms & 31)];
                ms >>= 5;
            }

            Span<byte> random = stackalloc byte[16];
            Random.Shared.NextBytes(random);
            for (int i = 10; i < 26; i++)
            {
                id[i] = Crockford[random[i - 10] & 31];
            }
        });
    }

    /// <summary><c>chatcmpl-</c> and a random (version 4) UUID.</summary>
    public static string CompletionId() => string.Create(45, Guid.NewGuid(), static (span, guid) =>
    {
        "chatcmpl-".CopyTo(span);
        guid.TryFormat(span[9..], out _, "D");
    });

    /// <summary>A tool call id: nine lowercase letters and digits (2026, e.g. <c>tk85n1k4m</c>) or <c>call_</c> and four (2025, e.g. <c>call_785j</c>).</summary>
    public static string ToolCallId(ulong seed, bool legacy)
    {
        // Both forms are nine characters: "tk85n1k4m" and "call_785j".
        return string.Create(9, (seed, legacy), static (span, state) =>
        {
            ulong bits = state.seed;
            int start = 0;
            if (state.legacy)
            {
                "call_".CopyTo(span);
                start = 5;
            }

            for (int i = start; i < span.Length; i++)
            {
                bits = SplitMix64.Next(ref bits);
                span[i] = Alphanumeric[(int)(bits % (ulong)Alphanumeric.Length)];
            }
        });
    }

    /// <summary><c>fp_</c> and ten hex digits derived from the model and seed (stable, like a deployment's fingerprint).</summary>
    public static string Fingerprint(string model, int seed)
    {
        ulong state = (ulong)(uint)seed ^ Hash(model);
        ulong value = SplitMix64.Next(ref state);
        return string.Create(13, value, static (span, v) =>
        {
            "fp_".CopyTo(span);
            for (int i = 12; i >= 3; i--)
            {
                span[i] = "0123456789abcdef"[(int)(v & 15)];
                v >>= 4;
            }
        });
    }

    /// <summary>A stable 64-bit FNV-1a hash of a string (not randomized per process, unlike string.GetHashCode).</summary>
    public static ulong Hash(ReadOnlySpan<char> text, ulong hash = 14695981039346656037UL)
    {
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
