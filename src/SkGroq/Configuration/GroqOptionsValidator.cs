using Microsoft.Extensions.Options;

namespace SkGroq.Configuration;

/// <summary>Checks the rules of <see cref="GroqOptions"/> that span several settings; each message names the setting and the fix.</summary>
internal sealed class GroqOptionsValidator : IValidateOptions<GroqOptions>
{
    public ValidateOptionsResult Validate(string? name, GroqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.SettingFailures);

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("Groq:ApiKey is not set. Put GROQ_API_KEY=gsk_… in .env or the environment (keys: https://console.groq.com/keys).");
        }
        else if (options.ApiKey.Trim().Any(char.IsWhiteSpace))
        {
            failures.Add($"Groq:ApiKey ({GroqApiKey.Redact(options.ApiKey)}) contains whitespace. Copy the key again without spaces or line breaks.");
        }

        if (!GroqBaseUrl.TryNormalize(options.BaseUrl, out _, out string? baseUrlError))
        {
            failures.Add(baseUrlError!);
        }

        foreach ((string model, List<string> chain) in options.Fallbacks)
        {
            for (int i = 0; i < chain.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(chain[i]))
                {
                    failures.Add($"Groq:Fallbacks:{model}:{i} is empty. Give a model id or remove the entry.");
                }
                else if (chain[i] == model)
                {
                    failures.Add($"Groq:Fallbacks:{model} lists the model itself. Remove '{model}' from its own fallback chain.");
                }
            }

            if (chain.Distinct(StringComparer.Ordinal).Count() != chain.Count)
            {
                failures.Add($"Groq:Fallbacks:{model} lists a model twice. Each model may appear once in a chain.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
