using System.Text.Json;

namespace SkGroq.Emulator.Chat;

/// <summary>A parsed, schema-checked chat-completion request over a JSON document owned by the caller.</summary>
internal sealed class ChatRequest(JsonDocument document)
{
    public JsonDocument Document { get; } = document;

    public JsonElement Messages { get; set; }

    public string Model { get; set; } = string.Empty;

    public bool Stream { get; set; }

    public bool IncludeUsage { get; set; }

    /// <summary>Gets or sets <c>max_completion_tokens</c> (preferred) or <c>max_tokens</c>.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Gets or sets the name of the property <see cref="MaxTokens"/> came from.</summary>
    public string MaxTokensParam { get; set; } = "max_completion_tokens";

    public List<string>? Stop { get; set; }

    public long? Seed { get; set; }

    public List<string> ToolNames { get; } = [];

    /// <summary>Gets or sets <c>none</c>, <c>auto</c>, <c>required</c>, or (<see cref="ToolChoiceFunction"/>) a function name.</summary>
    public string? ToolChoice { get; set; }

    public bool ToolChoiceFunction { get; set; }

    public bool ParallelToolCalls { get; set; } = true;

    public bool DisableToolValidation { get; set; }

    public string? ReasoningFormat { get; set; }

    public bool? IncludeReasoning { get; set; }

    public string? ReasoningEffort { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>response_format</c> asks for JSON (<c>json_object</c> or <c>json_schema</c>).</summary>
    public bool JsonMode { get; set; }

    public bool HasTools => ToolNames.Count > 0;

    /// <summary>Gets a value indicating whether the model must call a tool (<c>required</c> or a named function).</summary>
    public bool ToolRequired => HasTools && (ToolChoiceFunction || ToolChoice == "required");

    /// <summary>Gets a value indicating whether the model may call a tool.</summary>
    public bool ToolsAllowed => HasTools && ToolChoice != "none";
}
