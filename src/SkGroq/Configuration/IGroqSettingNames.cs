using System.Diagnostics.CodeAnalysis;

namespace SkGroq.Configuration;

/// <summary>A configuration provider that knows how the user spelled each key it supplies (e.g. <c>GROQ_TIER</c> for <c>Groq:Tier</c>).</summary>
public interface IGroqSettingNames
{
    /// <summary>Gets the name the user wrote for a configuration key.</summary>
    /// <param name="key">The configuration key, e.g. <c>Groq:Tier</c>.</param>
    /// <param name="name">The name as written, with where it was written, e.g. <c>GROQ_TIER in .env</c>.</param>
    /// <returns><see langword="true"/> when this provider supplied the key.</returns>
    bool TryGetName(string key, [NotNullWhen(true)] out string? name);
}
