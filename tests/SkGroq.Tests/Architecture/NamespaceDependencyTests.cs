using System.Text;
using SkGroq.Configuration;

namespace SkGroq.Tests.Architecture;

/// <summary>
/// Pins the library's structure, read from the compiled assembly's type references (signatures, bodies, attributes): each
/// feature is one namespace (= one folder; the build enforces folder = namespace with IDE0130), the namespaces form no cycle
/// longer than two, each depends only on what the table below allows, and only the composition root sees
/// <see cref="GroqOptions"/> — every feature takes its own options section.
/// </summary>
public sealed class NamespaceDependencyTests
{
    // What each namespace may depend on. A new dependency is a design decision: add it here, in the same change, only if it
    // keeps the graph free of cycles longer than two.
    private static readonly Dictionary<string, string[]> s_allowed = new(StringComparer.Ordinal)
    {
        ["Microsoft.Extensions.DependencyInjection"] = ["SkGroq.Caching", "SkGroq.Caching.Stores", "SkGroq.ChatClient", "SkGroq.Configuration", "SkGroq.Conversations", "SkGroq.Http", "SkGroq.Inspection", "SkGroq.Models", "SkGroq.RateLimiting", "SkGroq.RateLimiting.Redis", "SkGroq.Redis", "SkGroq.Resilience", "SkGroq.SemanticKernel", "SkGroq.Tokens", "SkGroq.Usage", "SkGroq.Usage.Tracking"],
        ["SkGroq.Caching"] = ["SkGroq.Caching.Conversion", "SkGroq.Caching.Stores", "SkGroq.Context", "SkGroq.Errors", "SkGroq.Http", "SkGroq.Inspection", "SkGroq.Inspection.Sse", "SkGroq.Resilience", "SkGroq.Usage"],
        ["SkGroq.Caching.Conversion"] = ["SkGroq.Inspection.Sse"],
        ["SkGroq.Caching.Stores"] = ["SkGroq.Caching.Conversion", "SkGroq.Inspection", "SkGroq.Inspection.Sse", "SkGroq.Redis", "SkGroq.Usage"],
        ["SkGroq.ChatClient"] = ["SkGroq.Context", "SkGroq.Usage"],
        ["SkGroq.Configuration"] = ["SkGroq.Caching", "SkGroq.Conversations", "SkGroq.Errors", "SkGroq.Http", "SkGroq.Inspection", "SkGroq.Models", "SkGroq.RateLimiting", "SkGroq.Redis", "SkGroq.Resilience", "SkGroq.Tokens", "SkGroq.Usage"],
        ["SkGroq.Context"] = ["SkGroq.Usage"],
        ["SkGroq.Conversations"] = ["SkGroq.Context", "SkGroq.Errors", "SkGroq.Models", "SkGroq.SemanticKernel", "SkGroq.Tokens", "SkGroq.Usage"],
        ["SkGroq.Errors"] = [],
        ["SkGroq.Http"] = ["SkGroq.Context", "SkGroq.Errors", "SkGroq.Tracing", "SkGroq.Usage"],
        ["SkGroq.Inspection"] = ["SkGroq.Errors", "SkGroq.Http", "SkGroq.Inspection.Sse", "SkGroq.Usage"],
        ["SkGroq.Inspection.Sse"] = ["SkGroq.Usage"],
        ["SkGroq.Models"] = [],
        ["SkGroq.RateLimiting"] = ["SkGroq.Context", "SkGroq.Errors", "SkGroq.Http", "SkGroq.Inspection", "SkGroq.Models", "SkGroq.Tokens", "SkGroq.Tracing", "SkGroq.Usage", "SkGroq.Usage.Tracking"],
        ["SkGroq.RateLimiting.Redis"] = ["SkGroq.Errors", "SkGroq.Models", "SkGroq.RateLimiting", "SkGroq.Redis"],
        ["SkGroq.Redis"] = [],
        ["SkGroq.Resilience"] = ["SkGroq.Context", "SkGroq.Errors", "SkGroq.Http", "SkGroq.Inspection"],
        ["SkGroq.SemanticKernel"] = ["SkGroq.Context", "SkGroq.Errors", "SkGroq.Usage"],
        ["SkGroq.Tokens"] = ["SkGroq.Models", "SkGroq.Tokens.Counting", "SkGroq.Tokens.Llama", "SkGroq.Tokens.Templates"],
        ["SkGroq.Tokens.Counting"] = [],
        ["SkGroq.Tokens.Llama"] = [],
        ["SkGroq.Tokens.Templates"] = ["SkGroq.Tokens.Counting"],
        ["SkGroq.Tracing"] = ["SkGroq.Context", "SkGroq.Http", "SkGroq.Usage"],
        ["SkGroq.Usage"] = ["SkGroq.Models"],
        ["SkGroq.Usage.Tracking"] = ["SkGroq.Context", "SkGroq.Errors", "SkGroq.Http", "SkGroq.Inspection", "SkGroq.Models", "SkGroq.Tracing", "SkGroq.Usage"],
    };

    // The composition root: the registration extensions and the configuration that composes every feature's section.
    private static readonly string[] s_compositionRoot = ["Microsoft.Extensions.DependencyInjection", "SkGroq.Configuration"];

    private static readonly NamespaceGraph s_library = NamespaceGraph.Of(typeof(GroqOptions));

    [Fact]
    public void Namespaces_FormNoCycleLongerThanTwo()
    {
        IReadOnlyList<IReadOnlyList<string>> tangles = [.. s_library.Cycles().Where(static c => c.Count > 2)];

        Assert.True(tangles.Count == 0, "Namespaces that depend on each other in a cycle longer than two:\n" + string.Join("\n", tangles.Select(Describe)));
    }

    [Fact]
    public void EachNamespace_DependsOnlyOnWhatTheTableAllows()
    {
        var unexpected = new StringBuilder();
        foreach (string ns in s_library.Namespaces.Order(StringComparer.Ordinal))
        {
            if (!s_allowed.TryGetValue(ns, out string[]? allowed))
            {
                unexpected.Append(ns).AppendLine(": a namespace the table does not know; add it with what it may depend on.");
                continue;
            }

            foreach (string to in s_library.DependenciesOf(ns).Except(allowed, StringComparer.Ordinal))
            {
                unexpected.Append(ns).Append(" -> ").Append(to).Append(" (").AppendJoin("; ", s_library.Witnesses(ns, to).Take(4)).AppendLine(")");
            }
        }

        Assert.True(unexpected.Length == 0, "Dependencies the table does not allow:\n" + unexpected);
    }

    [Fact]
    public void Table_NamesOnlyNamespacesAndDependenciesThatExist()
    {
        Assert.Empty(s_allowed.Keys.Except(s_library.Namespaces, StringComparer.Ordinal));

        // A dependency that went away is taken out of the table too, so that it cannot come back unnoticed.
        string[] unused = [.. s_allowed.SelectMany(static p => p.Value.Except(s_library.DependenciesOf(p.Key), StringComparer.Ordinal).Select(to => $"{p.Key} -> {to}"))];
        Assert.Empty(unused);
    }

    [Fact]
    public void OnlyTheCompositionRoot_SeesGroqOptions()
    {
        string[] offenders =
        [
            .. s_library.Namespaces
                .Where(static ns => !s_compositionRoot.Contains(ns, StringComparer.Ordinal))
                .SelectMany(static ns => s_library.Witnesses(ns, "SkGroq.Configuration"))
                .Where(static w => w.EndsWith("→ " + nameof(GroqOptions), StringComparison.Ordinal)),
        ];

        Assert.Empty(offenders);
    }

    [Fact]
    public void Graph_SeesReferencesInMethodBodies()
    {
        // The walker must find a reference made only inside a method body, or every check above passes vacuously.
        Assert.Contains("SkGroq.Configuration", s_library.DependenciesOf("Microsoft.Extensions.DependencyInjection"));
        Assert.Contains(s_library.Witnesses("Microsoft.Extensions.DependencyInjection", "SkGroq.Configuration"), static w => w.EndsWith("→ GroqOptions", StringComparison.Ordinal));
        Assert.NotEmpty(s_library.Cycles()); // Http <-> Tracing: the request's span is started with its info, and the span reads it.
    }

    private static string Describe(IReadOnlyList<string> cycle)
    {
        var text = new StringBuilder().AppendJoin(", ", cycle).AppendLine();
        foreach (string from in cycle)
        {
            foreach (string to in s_library.DependenciesOf(from).Intersect(cycle, StringComparer.Ordinal))
            {
                text.Append("  ").Append(from).Append(" -> ").Append(to).Append(": ").AppendJoin("; ", s_library.Witnesses(from, to).Take(4)).AppendLine();
            }
        }

        return text.ToString();
    }
}
