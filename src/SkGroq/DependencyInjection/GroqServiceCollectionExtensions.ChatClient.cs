using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using SkGroq.ChatClient;
using SkGroq.Configuration;

#pragma warning disable IDE0130 // Registration extensions live in Microsoft.Extensions.DependencyInjection, by .NET convention.
namespace Microsoft.Extensions.DependencyInjection;

/// <content>Registers Groq as Microsoft.Extensions.AI's <see cref="IChatClient"/>.</content>
public static partial class GroqServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IChatClient"/> on Groq over the same <c>groq</c> HttpClient pipeline as the Semantic Kernel
    /// path (adding SkGroq's services with <c>AddGroq()</c> when they are not there yet), and returns its builder for
    /// middleware such as <c>UseFunctionInvocation()</c>, <c>UseOpenTelemetry()</c> or <c>UseLogging()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="model">The model; <see langword="null"/> for <c>Groq:Model</c>. A request may name another in <see cref="ChatOptions.ModelId"/>.</param>
    /// <returns>The builder of the registered client.</returns>
    public static ChatClientBuilder AddGroqChatClient(this IServiceCollection services, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        EnsureGroq(services);
        return services.AddChatClient(sp => CreateChatClient(sp, model));
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> on Groq, e.g. one per model; see <see cref="AddGroqChatClient"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="model">The model; <see langword="null"/> for <c>Groq:Model</c>.</param>
    /// <returns>The builder of the registered client.</returns>
    public static ChatClientBuilder AddKeyedGroqChatClient(this IServiceCollection services, object? serviceKey, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        EnsureGroq(services);
        return services.AddKeyedChatClient(serviceKey, sp => CreateChatClient(sp, model));
    }

    private static void EnsureGroq(IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(OpenAIClient) && d.IsKeyedService && Equals(d.ServiceKey, GroqDefaults.HttpClientName)))
        {
            services.AddGroq();
        }
    }

    private static GroqChatClient CreateChatClient(IServiceProvider services, string? model)
    {
        OpenAIClient client = services.GetRequiredKeyedService<OpenAIClient>(GroqDefaults.HttpClientName);
        string chosen = string.IsNullOrWhiteSpace(model) ? services.GetRequiredService<IOptions<GroqOptions>>().Value.Model : model;
        return new GroqChatClient(client.GetChatClient(chosen).AsIChatClient());
    }
}
