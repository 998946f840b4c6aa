namespace SkGroq.Emulator.Scripting;

/// <summary>A chat-completion request as script predicates see it.</summary>
public sealed class EmulatorRequest
{
    internal EmulatorRequest(string model, string organization, bool stream, IReadOnlyList<EmulatorMessage> messages, IReadOnlyList<string> toolNames, string? toolChoice, string body)
    {
        Model = model;
        Organization = organization;
        Stream = stream;
        Messages = messages;
        ToolNames = toolNames;
        ToolChoice = toolChoice;
        Body = body;
    }

    /// <summary>Gets the model requested.</summary>
    public string Model { get; }

    /// <summary>Gets the organization of the API key.</summary>
    public string Organization { get; }

    /// <summary>Gets a value indicating whether the answer is streamed.</summary>
    public bool Stream { get; }

    /// <summary>Gets the messages.</summary>
    public IReadOnlyList<EmulatorMessage> Messages { get; }

    /// <summary>Gets the names of the offered functions (<c>tools[].function.name</c>).</summary>
    public IReadOnlyList<string> ToolNames { get; }

    /// <summary>Gets <c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c>, a function name, or <see langword="null"/> when absent.</summary>
    public string? ToolChoice { get; }

    /// <summary>Gets the raw request body.</summary>
    public string Body { get; }

    /// <summary>Gets a value indicating whether tools are offered.</summary>
    public bool HasTools => ToolNames.Count > 0;

    /// <summary>Gets a value indicating whether the conversation contains tool results.</summary>
    public bool HasToolResults => Messages.Any(m => m.Role == "tool");

    /// <summary>Gets the content of the last user message, or <see langword="null"/>.</summary>
    public string? LastUserMessage => Messages.LastOrDefault(m => m.Role == "user")?.Content;

    /// <summary>Gets the last message, or <see langword="null"/>.</summary>
    public EmulatorMessage? LastMessage => Messages.Count == 0 ? null : Messages[^1];
}
