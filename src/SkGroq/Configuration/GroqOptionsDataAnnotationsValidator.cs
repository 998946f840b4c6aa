using Microsoft.Extensions.Options;

namespace SkGroq.Configuration;

/// <summary>Checks the data annotations of <see cref="GroqOptions"/> and its sections (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class GroqOptionsDataAnnotationsValidator : IValidateOptions<GroqOptions>;
