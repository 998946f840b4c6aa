using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.Configuration;

namespace SkGroq.Tests.Architecture;

/// <summary>The library configures nothing of its host: configuration sources live in SkGroq.Hosting, and AddGroq registers no cache of the application's.</summary>
public sealed class LibraryBoundaryTests
{
    [Theory]
    [InlineData("dotenv.net")]
    [InlineData("Microsoft.Extensions.Configuration.UserSecrets")]
    public void Library_DoesNotReferenceHostConfigurationSources(string assembly)
    {
        Assert.DoesNotContain(typeof(GroqOptions).Assembly.GetReferencedAssemblies(), a => a.Name == assembly);
    }

    [Fact]
    public void AddGroq_AddsNoConfigurationSource()
    {
        var configuration = new ConfigurationManager();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        IConfigurationSource[] before = [.. ((IConfigurationBuilder)configuration).Sources];

        services.AddGroq(static o => o.ApiKey = "gsk_test_0123456789abcdefghijklmnop");
        using ServiceProvider provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GroqOptions>>().Value;

        Assert.Equal(before, ((IConfigurationBuilder)configuration).Sources);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IConfigurationSource) || d.ServiceType == typeof(IConfigurationProvider));
    }

    [Fact]
    public void AddGroqSources_LivesInTheHostingAssembly()
    {
        Assert.Equal("SkGroq.Hosting", typeof(GroqConfigurationBuilderExtensions).Assembly.GetName().Name);
    }
}
