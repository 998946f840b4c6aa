namespace SkGroq.Emulator.Scripting;

/// <summary>A canned answer: text, tool calls, or both (text is used when the request offers no tools or <c>tool_choice</c> is <c>none</c>).</summary>
public sealed class ScriptedReply
{
    private ScriptedReply(string? content, IReadOnlyList<ScriptedToolCall> toolCalls, string? reasoning)
    {
        Content = content;
        ToolCalls = toolCalls;
        Reasoning = reasoning;
    }

    /// <summary>Gets the answer text; <see langword="null"/> lets the emulator generate text when it needs some.</summary>
    public string? Content { get; }

    /// <summary>Gets the tool calls made when the request offers tools.</summary>
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; }

    /// <summary>Gets the reasoning of reasoning models (gpt-oss, qwen3); <see langword="null"/> generates some.</summary>
    public string? Reasoning { get; }

    /// <summary>An answer with this text.</summary>
    /// <param name="content">The text.</param>
    /// <param name="reasoning">Reasoning text for reasoning models.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply Text(string content, string? reasoning = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new ScriptedReply(content, [], reasoning);
    }

    /// <summary>An answer that calls one tool.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="arguments">The arguments as JSON text.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply ToolCall(string name, string arguments = "{}") => WithToolCalls(new ScriptedToolCall(name, arguments));

    /// <summary>An answer that calls tools (parallel calls when more than one).</summary>
    /// <param name="calls">The calls.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply WithToolCalls(params ScriptedToolCall[] calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Length == 0)
        {
            throw new ArgumentException("A tool-call reply needs at least one call.", nameof(calls));
        }

        foreach (ScriptedToolCall call in calls)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(call.Name, nameof(calls));
            ArgumentNullException.ThrowIfNull(call.Arguments, nameof(calls));
        }

        return new ScriptedReply(null, calls, null);
    }

    /// <summary>Returns this reply with text used when no tools are offered.</summary>
    /// <param name="content">The text.</param>
    /// <returns>A new reply.</returns>
    public ScriptedReply WithText(string content) => new(content, ToolCalls, Reasoning);
}
