namespace SkGroq.Emulator.Scripting;

/// <summary>A tool call a scripted reply makes.</summary>
/// <param name="Name">The function name; must be one of the offered tools (else Groq's <c>tool_use_failed</c>).</param>
/// <param name="Arguments">The arguments as a JSON text, e.g. <c>{"city":"Paris"}</c>.</param>
public sealed record ScriptedToolCall(string Name, string Arguments = "{}")
{
    /// <summary>Gets the call id.</summary>
    /// <value>The default is <see langword="null"/>: a Groq-shaped id is generated.</value>
    public string? Id { get; init; }
}
