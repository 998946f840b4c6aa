using System.Security.Cryptography;
using System.Text;

namespace SkGroq.Configuration;

/// <summary>Helpers that keep the API key secret wherever it could surface.</summary>
public static class GroqApiKey
{
    /// <summary>Shows a key as its prefix and last four characters, e.g. <c>gsk_…a1b2</c>.</summary>
    /// <param name="apiKey">The key, or <see langword="null"/>.</param>
    /// <returns>The redacted form; <c>(none)</c> when no key is set.</returns>
    public static string Redact(string? apiKey)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return "(none)";
        }

        string trimmed = apiKey.Trim();
        if (trimmed.Length < 12)
        {
            // Too short to show any of it without revealing most of it.
            return "…";
        }

        int prefixEnd = trimmed.IndexOf('_', StringComparison.Ordinal);
        string prefix = prefixEnd is > 0 and <= 8 ? trimmed[..(prefixEnd + 1)] : string.Empty;
        return string.Concat(prefix, "…", trimmed.AsSpan(trimmed.Length - 4));
    }

    /// <summary>A stable, non-reversible identifier of a key (first 12 hex digits of its SHA-256), used to partition quota and usage per organization.</summary>
    /// <param name="apiKey">The key.</param>
    /// <returns>The fingerprint, e.g. <c>key_3f2a9c01b7e4</c>.</returns>
    public static string Fingerprint(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(apiKey.Trim()), hash);
        return string.Concat("key_", Convert.ToHexStringLower(hash[..6]));
    }
}
