using Microsoft.Extensions.Configuration;

namespace SkGroq.Hosting;

/// <summary>Reads a <c>.env</c> file (parsed by dotenv.net) into configuration, translating <c>GROQ_*</c> names and <c>A__B</c> keys.</summary>
/// <param name="path">The file; a missing file adds nothing.</param>
public sealed class DotEnvConfigurationSource(string path) : IConfigurationSource
{
    /// <summary>Gets the file read.</summary>
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new DotEnvConfigurationProvider(Path);
}
