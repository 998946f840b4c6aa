using System.Security.Cryptography;

namespace SkGroq.Tokens.Llama;

/// <summary>Locates and verifies Meta's Llama 3 vocabulary (<c>tokenizer.model</c>, a tiktoken <c>base64 rank</c> file).</summary>
/// <remarks>
/// The vocabulary is "Llama Materials" under the Llama 3.1 Community License: SkGroq never ships it. A user installs it on
/// their machine with <see cref="LlamaVocabularyInstaller"/>; counters use it when present and verified, cl100k_base otherwise.
/// </remarks>
internal static class LlamaVocabulary
{
    /// <summary>The file name in the vocabulary directory.</summary>
    public const string FileName = "llama3.tiktoken";

    /// <summary>The sha256 of Meta's Llama 3 / 3.1 <c>tokenizer.model</c> (lowercase hex).</summary>
    public const string Sha256 = "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55";

    /// <summary>The number of ranks (ordinary tokens) in the file.</summary>
    public const int RankCount = 128_000;

    /// <summary>The licence notice shown wherever the vocabulary is installed or used.</summary>
    public const string LicenseNotice = "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.";

    /// <summary>The attribution the Llama 3.1 Community License asks for.</summary>
    public const string Attribution = "Built with Llama";

    /// <summary>Gets the full notice: <see cref="LicenseNotice"/> and <see cref="Attribution"/> on two lines.</summary>
    public static string Notice => LicenseNotice + "\n" + Attribution;

    /// <summary>Gets the default vocabulary directory: <c>$XDG_CACHE_HOME/skgroq/vocab</c>, or <c>~/.cache/skgroq/vocab</c>.</summary>
    /// <returns>The directory path (it may not exist).</returns>
    public static string GetDefaultDirectory()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");

        // The XDG spec says relative paths are invalid and must be ignored.
        string cache = !string.IsNullOrWhiteSpace(xdg) && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Path.Combine(cache, "skgroq", "vocab");
    }

    /// <summary>Gets the path of the vocabulary file.</summary>
    /// <param name="directory">The vocabulary directory; <see langword="null"/> for <see cref="GetDefaultDirectory"/>.</param>
    /// <returns>The full path.</returns>
    public static string GetPath(string? directory = null) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(string.IsNullOrWhiteSpace(directory) ? GetDefaultDirectory() : directory, FileName));

    /// <summary>Checks whether the vocabulary is installed and intact.</summary>
    /// <param name="directory">The vocabulary directory; <see langword="null"/> for <see cref="GetDefaultDirectory"/>.</param>
    /// <returns>The status.</returns>
    public static LlamaVocabularyStatus Check(string? directory = null)
    {
        string path = GetPath(directory);
        if (!File.Exists(path))
        {
            return new LlamaVocabularyStatus(path, LlamaVocabularyState.Missing, null);
        }

        string actual = ComputeSha256(path);
        return new LlamaVocabularyStatus(path, IsExpected(actual) ? LlamaVocabularyState.Installed : LlamaVocabularyState.Invalid, actual);
    }

    /// <summary>Computes the sha256 of a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The lowercase hex digest.</returns>
    public static string ComputeSha256(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Gets a value indicating whether a digest is Meta's.</summary>
    /// <param name="sha256">A hex digest.</param>
    /// <returns><see langword="true"/> when it matches <see cref="Sha256"/>.</returns>
    public static bool IsExpected(string? sha256) => string.Equals(sha256, Sha256, StringComparison.OrdinalIgnoreCase);
}
