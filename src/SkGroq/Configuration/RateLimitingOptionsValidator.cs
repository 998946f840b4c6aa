using Microsoft.Extensions.Options;
using SkGroq.Models;

namespace SkGroq.Configuration;

/// <summary>Checks the settings the rate limiter reads outside its own section: the per-model limit overrides under <c>Groq:Models</c>.</summary>
internal sealed class RateLimitingOptionsValidator : IValidateOptions<GroqOptions>
{
    public ValidateOptionsResult Validate(string? name, GroqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        foreach ((string model, ModelOverride value) in options.Models)
        {
            Check(model, nameof(ModelOverride.RequestsPerMinute), value.RequestsPerMinute, ref failures);
            Check(model, nameof(ModelOverride.RequestsPerDay), value.RequestsPerDay, ref failures);
            Check(model, nameof(ModelOverride.TokensPerMinute), value.TokensPerMinute, ref failures);
            Check(model, nameof(ModelOverride.TokensPerDay), value.TokensPerDay, ref failures);
            if (value.TokensPerDay is > 0 && value.TokensPerMinute is > 0 && value.TokensPerDay < value.TokensPerMinute)
            {
                (failures ??= []).Add($"Groq:Models:{model}:TokensPerDay ({value.TokensPerDay}) is below TokensPerMinute ({value.TokensPerMinute}). A day allows at least a minute's worth; check both values.");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string model, string setting, long? value, ref List<string>? failures)
    {
        if (value is <= 0)
        {
            (failures ??= []).Add($"Groq:Models:{model}:{setting} is {value}; limits must be positive. Remove the setting to use the catalog's value (Groq's headers then correct it).");
        }
    }
}
