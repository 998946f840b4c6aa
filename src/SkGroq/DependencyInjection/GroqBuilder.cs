#pragma warning disable IDE0130 // Registration types live in Microsoft.Extensions.DependencyInjection, by .NET convention.
namespace Microsoft.Extensions.DependencyInjection;

internal sealed class GroqBuilder(IServiceCollection services, IHttpClientBuilder httpClient) : IGroqBuilder
{
    public IServiceCollection Services { get; } = services;

    public IHttpClientBuilder HttpClient { get; } = httpClient;
}
