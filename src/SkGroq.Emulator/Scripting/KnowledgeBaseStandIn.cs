using System.Text.Json;

namespace SkGroq.Emulator.Scripting;

/// <summary>
/// Script rules that make the emulator behave like a model answering from SkGroq's knowledge base, so that a host without
/// a key (the console's <c>ask --kb</c>, the web host's knowledge-base mode) shows the whole flow: offered the
/// <c>knowledge_base-search</c> tool, it searches with the user's question; given numbered passages (<c>[S1] file › heading</c>
/// lines, in a tool result or the system prompt), it quotes the first sentence of the first one and cites it.
/// Any other request gets the emulator's usual synthetic text.
/// </summary>
public static class KnowledgeBaseStandIn
{
    /// <summary>The knowledge-base search function as Semantic Kernel names it on the wire (plugin, dash, function).</summary>
    public const string SearchToolName = "knowledge_base-search";

    /// <summary>Adds the two rules to <paramref name="script"/> (after the rules it already has, which keep precedence).</summary>
    /// <param name="script">The emulator's script.</param>
    public static void AddTo(EmulatorScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        script.When(
            static r => r.ToolNames.Contains(SearchToolName) && !r.HasToolResults,
            static r => ScriptedReply.ToolCall(SearchToolName, JsonSerializer.Serialize(new { query = r.LastUserMessage ?? string.Empty })),
            "the knowledge-base search tool is offered: search with the question");
        script.When(
            static r => FirstPassage(r) is not null,
            static r => ScriptedReply.Text($"The knowledge base says: {FirstPassage(r)} [S1]"),
            "numbered passages are given: quote the first, citing it");
    }

    private static string? FirstPassage(EmulatorRequest request)
    {
        foreach (EmulatorMessage message in request.Messages.Reverse())
        {
            // The passage list starts a line with "[S1] " (the instructions mention [S1] inside sentences).
            int at = message.Role is not ("tool" or "system") ? -1
                : message.Content.StartsWith("[S1] ", StringComparison.Ordinal) ? 0
                : message.Content.IndexOf("\n[S1] ", StringComparison.Ordinal) is var i and >= 0 ? i + 1
                : -1;
            if (at < 0)
            {
                continue;
            }

            // "[S1] file › heading (lines a-b)" then the passage: its first sentence, on one line.
            string[] lines = message.Content[at..].Split('\n');
            string passage = string.Join(' ', lines.Skip(1).TakeWhile(l => l.Length > 0 && !l.StartsWith("[S", StringComparison.Ordinal))).Trim();
            int end = passage.IndexOf(". ", StringComparison.Ordinal);
            return end > 0 ? passage[..(end + 1)] : passage;
        }

        return null;
    }
}
