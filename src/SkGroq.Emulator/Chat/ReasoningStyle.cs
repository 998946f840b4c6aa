namespace SkGroq.Emulator.Chat;

/// <summary>How a model reasons before answering (docs/GROQ-API.md §3, §4.2, §10).</summary>
internal enum ReasoningStyle
{
    /// <summary>No reasoning (Llama, Kimi, …).</summary>
    None,

    /// <summary>gpt-oss harmony: analysis channel, then final; 10 structural tokens; parsed by default.</summary>
    Harmony,

    /// <summary>Qwen3: <c>&lt;think&gt;…&lt;/think&gt;</c>; raw (in the content) by default; <c>reasoning_effort: none</c> turns it off.</summary>
    Think,
}
