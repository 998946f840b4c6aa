#pragma warning disable IDE0130 // Registration types live in Microsoft.Extensions.DependencyInjection, by .NET convention.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the services <c>AddGroq</c> registered.</summary>
public interface IGroqBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the builder of the <c>groq</c> HttpClient, for adding handlers around or inside the pipeline.</summary>
    IHttpClientBuilder HttpClient { get; }
}
