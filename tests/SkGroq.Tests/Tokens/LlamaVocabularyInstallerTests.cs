using System.Net;
using System.Security.Cryptography;
using System.Text;
using SkGroq.Tokens.Llama;

namespace SkGroq.Tests.Tokens;

public sealed class LlamaVocabularyInstallerTests : IDisposable
{
    private const string SyntheticFile = "IQ== 0\nIHRoZQ== 1\n";
    private static readonly string s_syntheticSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(SyntheticFile)));
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("skgroq-vocab-");

    private string Target => Path.Combine(_directory.FullName, "cache", LlamaVocabulary.FileName);

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task InstallAsync_FromNpm_DownloadsConvertsVerifiesAndWrites()
    {
        var handler = new PackageHandler(HttpStatusCode.OK, LlamaVocabularyConverterTests.CreatePackage(LlamaVocabularyConverterTests.Base64Tokens("!", "Ġthe")).ToArray());
        var lines = new List<string>();
        LlamaVocabularyInstaller installer = CreateInstaller(handler);

        LlamaVocabularyInstallResult result = await installer.InstallAsync(progress: new SynchronousProgress(lines), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(LlamaVocabularyInstaller.NpmPackageUrl, Assert.Single(handler.Requests).AbsoluteUri);
        Assert.Equal(SyntheticFile, await File.ReadAllTextAsync(Target, TestContext.Current.CancellationToken));
        Assert.Equal(new LlamaVocabularyInstallResult(Target, LlamaVocabularyInstaller.NpmPackageUrl, s_syntheticSha256, false, LlamaVocabulary.Notice), result);
        Assert.Contains(lines, l => l.Contains("Verified sha256", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(Target)!));
    }

    [Fact]
    public async Task InstallAsync_AlreadyInstalled_DoesNotDownload()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Target)!);
        await File.WriteAllTextAsync(Target, SyntheticFile, TestContext.Current.CancellationToken);
        var handler = new PackageHandler(HttpStatusCode.InternalServerError, []);

        LlamaVocabularyInstallResult result = await CreateInstaller(handler).InstallAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.AlreadyInstalled);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task InstallAsync_WrongDigest_ThrowsWithBothDigestsAndWritesNothing()
    {
        var handler = new PackageHandler(HttpStatusCode.OK, LlamaVocabularyConverterTests.CreatePackage(LlamaVocabularyConverterTests.Base64Tokens("!", "Ġa")).ToArray());

        var ex = await Assert.ThrowsAsync<LlamaVocabularyException>(
            () => CreateInstaller(handler).InstallAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.NotNull(ex.ActualSha256);
        Assert.Contains(ex.ActualSha256, ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was installed", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(Target)));
    }

    [Fact]
    public async Task InstallAsync_RegistryError_SaysWhatToDo()
    {
        var handler = new PackageHandler(HttpStatusCode.NotFound, []);

        var ex = await Assert.ThrowsAsync<LlamaVocabularyException>(
            () => CreateInstaller(handler).InstallAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("404", ex.Message, StringComparison.Ordinal);
        Assert.Contains("pass its path as from (the console's --from)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(LlamaVocabularyInstaller.NpmPackageUrl, ex.VocabularySource);
    }

    [Fact]
    public async Task InstallAsync_FromMetaFileOrItsDirectory_CopiesAndVerifies()
    {
        string meta = Path.Combine(_directory.FullName, "Llama3.1-8B");
        Directory.CreateDirectory(meta);
        await File.WriteAllTextAsync(Path.Combine(meta, "tokenizer.model"), SyntheticFile, TestContext.Current.CancellationToken);

        LlamaVocabularyInstallResult fromFile = await CreateInstaller(null).InstallAsync(Path.Combine(meta, "tokenizer.model"), cancellationToken: TestContext.Current.CancellationToken);
        File.Delete(Target);
        LlamaVocabularyInstallResult fromDirectory = await CreateInstaller(null).InstallAsync(meta, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(fromFile.AlreadyInstalled);
        Assert.Equal(Path.Combine(meta, "tokenizer.model"), fromFile.Source);
        Assert.Equal(meta, fromDirectory.Source);
        Assert.Equal(SyntheticFile, await File.ReadAllTextAsync(Target, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InstallAsync_FromTarballOnDisk_Converts()
    {
        string tarball = Path.Combine(_directory.FullName, "llama3-tokenizer-js-1.2.0.tgz");
        await File.WriteAllBytesAsync(tarball, LlamaVocabularyConverterTests.CreatePackage(LlamaVocabularyConverterTests.Base64Tokens("!", "Ġthe")).ToArray(), TestContext.Current.CancellationToken);

        LlamaVocabularyInstallResult result = await CreateInstaller(null).InstallAsync(tarball, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(s_syntheticSha256, result.Sha256);
        Assert.Equal(SyntheticFile, await File.ReadAllTextAsync(Target, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InstallAsync_MissingSource_SaysWhatToPass()
    {
        var ex = await Assert.ThrowsAsync<LlamaVocabularyException>(
            () => CreateInstaller(null).InstallAsync(Path.Combine(_directory.FullName, "nope.model"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_HasTheLicenceLineAndAttribution()
    {
        Assert.Equal(
            "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.\nBuilt with Llama",
            LlamaVocabulary.Notice);
    }

    [Fact]
    public void GetDefaultDirectory_IsUnderTheUserCache()
    {
        string directory = LlamaVocabulary.GetDefaultDirectory();

        Assert.EndsWith(Path.Combine("skgroq", "vocab"), directory, StringComparison.Ordinal);
        Assert.True(Path.IsPathRooted(directory));
    }

    private LlamaVocabularyInstaller CreateInstaller(HttpMessageHandler? handler) =>
        new(Path.GetDirectoryName(Target), handler is null ? null : new HttpClient(handler), s_syntheticSha256);

    private sealed class PackageHandler(HttpStatusCode status, byte[] body) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new ByteArrayContent(body) });
        }
    }

    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
