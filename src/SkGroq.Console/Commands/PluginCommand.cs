using System.CommandLine;
using Microsoft.SemanticKernel;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.Usage;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>plugin list</c> and <c>plugin run Plugin Function --var name=value</c>: the prompt-function plugins of <c>plugins/</c>, streamed.</summary>
internal static class PluginCommand
{
    private static readonly Option<string?> s_plugins = new("--plugins") { Description = "The plugins folder (default: ./plugins, else the one shipped with the console).", Recursive = true };
    private static readonly Argument<string> s_plugin = new("plugin") { Description = "The plugin (a folder of plugins/), e.g. DocumentGeneration." };
    private static readonly Argument<string> s_function = new("function") { Description = "The function (a folder of the plugin), e.g. Summarize." };
    private static readonly Option<string[]> s_vars = new("--var") { Description = "A template variable, name=value; repeat for several. 'input' is the main one.", AllowMultipleArgumentsPerToken = false };

    public static Command Create()
    {
        var list = new Command("list", "List the prompt functions and their variables.");
        CommandRunner.SetAction(list, ListAsync, needsServer: false);

        var run = new Command("run", "Run a prompt function with streaming.") { s_plugin, s_function, s_vars };
        CommandRunner.SetAction(run, RunAsync, validate: parse => ParseVariables(parse.GetValue(s_vars)));

        var command = new Command("plugin", "Prompt-function plugins (plugins/): document generation and knowledge-base prompts.") { s_plugins, list, run };
        return command;
    }

    private static Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string folder = PluginsFolder(context.Get(s_plugins));
        var kernel = new Kernel();
        var plugins = Directory.GetDirectories(folder).Order(StringComparer.Ordinal)
            .Select(d => kernel.CreatePluginFromPromptDirectory(d))
            .ToList();
        if (context.Output.Json)
        {
            context.Output.WriteJson(new
            {
                Folder = folder,
                Plugins = plugins.Select(p => new
                {
                    p.Name,
                    Functions = p.Select(f => new { f.Name, f.Description, Variables = f.Metadata.Parameters.Select(v => new { v.Name, v.Description, v.IsRequired, Default = v.DefaultValue }) }),
                }),
            });
            return Task.FromResult(ExitCodes.Success);
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("plugin", "function", "variables", "description");
        foreach (KernelPlugin plugin in plugins)
        {
            foreach (KernelFunction function in plugin)
            {
                string variables = string.Join(", ", function.Metadata.Parameters.Select(v => v.IsRequired ? v.Name : $"{v.Name}={v.DefaultValue}"));
                table.AddRow(Markup.Escape(plugin.Name), Markup.Escape(function.Name), Markup.Escape(variables), Markup.Escape(function.Description));
            }
        }

        context.Output.Out.Write(table);
        return Task.FromResult(ExitCodes.Success);
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string folder = PluginsFolder(context.Get(s_plugins));
        string pluginName = context.Get(s_plugin)!;
        string functionName = context.Get(s_function)!;
        string pluginFolder = Path.Combine(folder, pluginName);
        if (!Directory.Exists(pluginFolder))
        {
            throw new HarnessUsageException($"There is no plugin '{pluginName}' in {folder}. Run 'plugin list' to see the plugins.");
        }

        Kernel kernel = context.Session.Get<Kernel>();
        KernelPlugin plugin = kernel.CreatePluginFromPromptDirectory(pluginFolder);
        if (!plugin.TryGetFunction(functionName, out KernelFunction? function))
        {
            throw new HarnessUsageException($"Plugin '{pluginName}' has no function '{functionName}'; it has {string.Join(", ", plugin.Select(f => f.Name))}.");
        }

        var arguments = new KernelArguments();
        var known = function.Metadata.Parameters.Select(static p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in ParseVariables(context.Get(s_vars)))
        {
            if (!known.Contains(name))
            {
                throw new HarnessUsageException($"{pluginName}.{functionName} has no variable '{name}'; its variables are {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }

            arguments[name] = value;
        }

        List<string> missing = [.. function.Metadata.Parameters.Where(p => p.IsRequired && !arguments.ContainsName(p.Name)).Select(p => p.Name)];
        if (missing.Count > 0)
        {
            throw new HarnessUsageException($"{pluginName}.{functionName} needs {string.Join(", ", missing.Select(m => $"--var {m}=…"))}.");
        }

        HarnessOutput output = context.Output;
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions
        {
            Feature = $"{pluginName}.{functionName}",
            Status = new Progress<GroqRequestStatus>(s => output.Status(s.Message)),
        });
        var text = new System.Text.StringBuilder();
        await foreach (StreamingKernelContent update in kernel.InvokeStreamingAsync(function, arguments, cancellationToken))
        {
            string? piece = update.ToString();
            if (!string.IsNullOrEmpty(piece))
            {
                text.Append(piece);
                output.WriteText(piece);
            }
        }

        UsageTotals usage = UsageTotals.From(scope.Records);
        if (output.Json)
        {
            output.WriteJson(new { Plugin = pluginName, Function = functionName, Text = text.ToString(), Usage = new { usage.Requests, usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.Cost } });
        }
        else
        {
            output.Out.WriteLine();
            output.Out.MarkupLine($"[grey]{usage.TotalTokens} tokens (prompt {usage.PromptTokens}, completion {usage.CompletionTokens}) · cost {Formatting.Money(usage.Cost)}[/]");
        }

        return text.Length > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static List<(string Name, string Value)> ParseVariables(string[]? values)
    {
        var parsed = new List<(string, string)>();
        foreach (string item in values ?? [])
        {
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new HarnessUsageException($"--var '{item}' is not name=value. Write e.g. --var input=\"the text\".");
            }

            parsed.Add((item[..equals].Trim(), item[(equals + 1)..]));
        }

        return parsed;
    }

    private static string PluginsFolder(string? configured)
    {
        string folder = configured
            ?? (Directory.Exists("plugins") ? "plugins" : Path.Combine(AppContext.BaseDirectory, "plugins"));
        string full = Path.GetFullPath(folder);
        return Directory.Exists(full)
            ? full
            : throw new HarnessUsageException($"The plugins folder '{full}' does not exist. Pass --plugins <folder>.");
    }
}
