using dotenv.net;

namespace SkGroq.Hosting;

/// <summary>Loads a <c>.env</c> file; see <see cref="DotEnvConfigurationSource"/>.</summary>
internal sealed class DotEnvConfigurationProvider(string path) : VariablesConfigurationProvider(System.IO.Path.GetFileName(path))
{
    public override void Load()
    {
        if (!File.Exists(path))
        {
            Set([]);
            return;
        }

        // Read only: the process environment is left untouched, so real environment variables keep winning over .env.
        IDictionary<string, string> values = DotEnv.Read(new DotEnvOptions(
            ignoreExceptions: false,
            envFilePaths: [path],
            trimValues: true,
            overwriteExistingVars: false,
            supportExportSyntax: true));
        Set(values.Select(static p => KeyValuePair.Create(p.Key, (string?)p.Value)));
    }
}
