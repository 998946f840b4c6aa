using Microsoft.SemanticKernel;

namespace SkGroq.Web.Documents;

/// <summary>
/// The prompt functions the page's "Document" mode offers: every function of every plugin folder under <c>Web:Plugins</c>
/// (default <c>./plugins</c>, else the copy next to the host), loaded once with Semantic Kernel's prompt-directory loader.
/// </summary>
internal sealed class DocumentTemplates
{
    private readonly Dictionary<string, KernelFunction> _functions = new(StringComparer.OrdinalIgnoreCase);

    public DocumentTemplates(string? folder)
    {
        string? resolved = folder ?? (Directory.Exists("plugins") ? "plugins" : Path.Combine(AppContext.BaseDirectory, "plugins"));
        Folder = Directory.Exists(resolved) ? Path.GetFullPath(resolved) : null;
        if (Folder is null)
        {
            return;
        }

        var loader = new Kernel();
        foreach (string pluginFolder in Directory.GetDirectories(Folder).Order(StringComparer.Ordinal))
        {
            KernelPlugin plugin = loader.CreatePluginFromPromptDirectory(pluginFolder);
            foreach (KernelFunction function in plugin)
            {
                _functions[$"{plugin.Name}.{function.Name}"] = function;
            }
        }
    }

    /// <summary>Gets the plugins folder; <see langword="null"/> when there is none (the mode is off).</summary>
    public string? Folder { get; }

    /// <summary>Gets the functions as the page lists them: name, description and variables.</summary>
    public IEnumerable<DocumentTemplate> List() => _functions.OrderBy(static f => f.Key, StringComparer.Ordinal).Select(static f => new DocumentTemplate(
        f.Key,
        f.Value.Description,
        [.. f.Value.Metadata.Parameters.Select(static p => new DocumentVariable(p.Name, p.Description, p.IsRequired, p.DefaultValue?.ToString()))]));

    /// <summary>
    /// Finds <paramref name="name"/> (<c>Plugin.Function</c>) and builds its arguments: <paramref name="input"/> is the
    /// <c>input</c> variable, <paramref name="variables"/> the others.
    /// </summary>
    /// <returns>The function and its arguments, or what is wrong and what to send instead.</returns>
    public (KernelFunction? Function, KernelArguments? Arguments, string? Error) Bind(string? name, string input, IReadOnlyDictionary<string, string>? variables)
    {
        if (string.IsNullOrWhiteSpace(name) || !_functions.TryGetValue(name, out KernelFunction? function))
        {
            return (null, null, $"There is no document template '{name}'. Pick one of {string.Join(", ", _functions.Keys.Order(StringComparer.Ordinal))} (GET /api/documents lists them with their variables).");
        }

        var known = function.Metadata.Parameters.Select(static p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var arguments = new KernelArguments { ["input"] = input };
        foreach ((string variable, string value) in variables ?? new Dictionary<string, string>())
        {
            if (!known.Contains(variable) || string.Equals(variable, "input", StringComparison.OrdinalIgnoreCase))
            {
                return (null, null, $"{name} has no variable '{variable}' to fill here; its variables are {string.Join(", ", known.Where(static k => k != "input").Order(StringComparer.Ordinal))} (the message text is 'input').");
            }

            if (!string.IsNullOrWhiteSpace(value))
            {
                arguments[variable] = value;
            }
        }

        string[] missing = [.. function.Metadata.Parameters.Where(p => p.IsRequired && !arguments.ContainsName(p.Name)).Select(static p => p.Name)];
        return missing.Length > 0
            ? (null, null, $"{name} needs {string.Join(", ", missing)}: send them in \"variables\".")
            : (function, arguments, null);
    }
}

/// <summary>A document template (a prompt function) as <c>GET /api/documents</c> lists it.</summary>
/// <param name="Name"><c>Plugin.Function</c>.</param>
/// <param name="Description">What it writes.</param>
/// <param name="Variables">Its template variables; <c>input</c> is the message text.</param>
public sealed record DocumentTemplate(string Name, string Description, IReadOnlyList<DocumentVariable> Variables);

/// <summary>A template variable.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Description">What to put in it.</param>
/// <param name="Required">Whether it must be given.</param>
/// <param name="Default">The value used when it is not given.</param>
public sealed record DocumentVariable(string Name, string Description, bool Required, string? Default);
