using Microsoft.Extensions.Options;
using SkGroq.Resilience;

namespace SkGroq.Configuration;

/// <summary>Checks the rules of <see cref="GroqResilienceOptions"/> that span several settings; each message names the setting and the fix.</summary>
internal sealed class GroqResilienceOptionsValidator : IValidateOptions<GroqOptions>
{
    public ValidateOptionsResult Validate(string? name, GroqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        GroqResilienceOptions resilience = options.Resilience;
        if (resilience.MaxDelay < resilience.BaseDelay)
        {
            return ValidateOptionsResult.Fail(
                $"Groq:Resilience:MaxDelay ({resilience.MaxDelay}) is shorter than Groq:Resilience:BaseDelay ({resilience.BaseDelay}). Raise MaxDelay or lower BaseDelay.");
        }

        return ValidateOptionsResult.Success;
    }
}
