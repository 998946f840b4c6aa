using Microsoft.SemanticKernel;

namespace SkGroq.Tests.Plugins;

public sealed class PromptPluginTests
{
    private static readonly string s_plugins = Path.Combine(AppContext.BaseDirectory, "plugins");

    public static TheoryData<string> PluginFolders()
    {
        var data = new TheoryData<string>();
        foreach (string folder in Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "plugins")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    [Fact]
    public void PluginsFolder_HoldsTheDocumentGenerationAndKnowledgeBasePlugins()
    {
        Kernel kernel = new();
        KernelPlugin documents = kernel.CreatePluginFromPromptDirectory(Path.Combine(s_plugins, "DocumentGeneration"));
        KernelPlugin knowledge = kernel.CreatePluginFromPromptDirectory(Path.Combine(s_plugins, "KnowledgeBase"));

        Assert.Equal(["DraftFromNotes", "Outline", "Summarize"], documents.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["AnswerWithSources"], knowledge.Select(f => f.Name));
    }

    [Theory]
    [MemberData(nameof(PluginFolders))]
    public async Task EveryFunction_LoadsWithDescriptionAndRendersItsVariables(string pluginName)
    {
        Kernel kernel = new();
        KernelPlugin plugin = kernel.CreatePluginFromPromptDirectory(Path.Combine(s_plugins, pluginName));
        Assert.NotEmpty(plugin);

        foreach (KernelFunction function in plugin)
        {
            Assert.False(string.IsNullOrWhiteSpace(function.Description), $"{pluginName}.{function.Name} has a description");
            Assert.Contains(function.Metadata.Parameters, p => p.Name == "input" && p.IsRequired);

            var arguments = new KernelArguments();
            foreach (KernelParameterMetadata parameter in function.Metadata.Parameters)
            {
                arguments[parameter.Name] = $"VALUE_OF_{parameter.Name}_42";
            }

            string folder = Path.Combine(s_plugins, pluginName, function.Name);
            var config = PromptTemplateConfig.FromJson(await File.ReadAllTextAsync(Path.Combine(folder, "config.json"), TestContext.Current.CancellationToken));
            config.Template = await File.ReadAllTextAsync(Path.Combine(folder, "skprompt.txt"), TestContext.Current.CancellationToken);
            string rendered = await new KernelPromptTemplateFactory().Create(config).RenderAsync(kernel, arguments, TestContext.Current.CancellationToken);

            foreach (KernelParameterMetadata parameter in function.Metadata.Parameters)
            {
                Assert.Contains($"VALUE_OF_{parameter.Name}_42", rendered, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("{{$", rendered, StringComparison.Ordinal);
            Assert.Contains("<message role=\"system\">", rendered, StringComparison.Ordinal);
            Assert.True(config.ExecutionSettings.ContainsKey("default"), $"{pluginName}.{function.Name} has default execution settings");
        }
    }
}
