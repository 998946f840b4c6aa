using System.Text.Json;
using SkGroq.Emulator;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Console.Hosting;

/// <summary>The built-in Groq emulator, started in-process on a random loopback port with realistic pacing.</summary>
internal sealed class EmbeddedEmulator : IAsyncDisposable
{
    private readonly GroqEmulator _emulator;

    private EmbeddedEmulator(GroqEmulator emulator) => _emulator = emulator;

    public Uri BaseUrl => _emulator.BaseUrl;

    public string ApiKey => _emulator.ApiKey;

    public GroqEmulator Server => _emulator;

    public static async Task<EmbeddedEmulator> StartAsync(IReadOnlyList<EmulatorFaultRule> faults, CancellationToken cancellationToken)
    {
        var options = new GroqEmulatorOptions();
        foreach (EmulatorFaultRule fault in faults)
        {
            options.Faults.Add(fault);
        }

        GroqEmulator emulator = await GroqEmulator.StartAsync(options, cancellationToken);
        AddKnowledgeBaseStandIn(emulator.Script);
        return new(emulator);
    }

    /// <summary>
    /// Makes the built-in emulator behave like a model using the knowledge base, so that <c>ask --kb</c> shows the whole flow
    /// without a key: offered the search tool, it searches with the user's question; given numbered passages, it quotes the
    /// first sentence of the first one and cites it. Any other request gets the emulator's usual synthetic text.
    /// </summary>
    internal static void AddKnowledgeBaseStandIn(EmulatorScript script)
    {
        script.When(
            r => r.ToolNames.Contains("knowledge_base-search") && !r.HasToolResults,
            r => ScriptedReply.ToolCall("knowledge_base-search", JsonSerializer.Serialize(new { query = r.LastUserMessage ?? string.Empty })),
            "the knowledge-base search tool is offered: search with the question");
        script.When(
            r => FirstPassage(r) is not null,
            r => ScriptedReply.Text($"The knowledge base says: {FirstPassage(r)} [S1]"),
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

    /// <summary>Parses the <c>--emulator-fault</c> rules, or says what is wrong with one.</summary>
    /// <exception cref="HarnessUsageException">A rule is not valid.</exception>
    public static IReadOnlyList<EmulatorFaultRule> ParseFaults(IReadOnlyList<string>? rules)
    {
        var parsed = new List<EmulatorFaultRule>();
        foreach (string rule in rules ?? [])
        {
            try
            {
                parsed.Add(EmulatorFaultRule.Parse(rule));
            }
            catch (FormatException ex)
            {
                throw new HarnessUsageException($"--emulator-fault: {ex.Message}");
            }
        }

        return parsed;
    }

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();
}
