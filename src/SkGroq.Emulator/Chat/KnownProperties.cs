namespace SkGroq.Emulator.Chat;

/// <summary>The request properties Groq's schema knows (docs/GROQ-API.md §2.1, §2.2; <c>additionalProperties: false</c>).</summary>
internal static class KnownProperties
{
    /// <summary>Top-level properties, including everything the OpenAI .NET SDK sends through Semantic Kernel (<c>stream_options</c> is switchable).</summary>
    public static readonly string[] TopLevel =
    [
        "model", "messages", "stream", "max_completion_tokens", "max_tokens", "temperature", "top_p", "stop", "seed", "n",
        "tools", "tool_choice", "parallel_tool_calls", "disable_tool_validation", "response_format", "reasoning_effort",
        "reasoning_format", "include_reasoning", "service_tier", "user", "frequency_penalty", "presence_penalty", "logprobs",
        "top_logprobs", "logit_bias", "metadata", "store", "function_call", "functions", "search_settings", "include_domains",
        "exclude_domains", "compound_custom", "documents", "citation_options", "stream_options",
    ];

    public static readonly string[] System = ["role", "content", "name"];

    public static readonly string[] User = ["role", "content", "name"];

    public static readonly string[] Assistant = ["role", "content", "reasoning", "name", "tool_calls", "function_call"];

    public static readonly string[] Tool = ["role", "content", "tool_call_id"];

    public static readonly string[] Function = ["role", "content", "name"];

    public static string[]? ForRole(string role) => role switch
    {
        "system" or "developer" => System,
        "user" => User,
        "assistant" => Assistant,
        "tool" => Tool,
        "function" => Function,
        _ => null,
    };
}
