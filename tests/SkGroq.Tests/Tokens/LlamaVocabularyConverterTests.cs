using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SkGroq.Tokens.Llama;

namespace SkGroq.Tests.Tokens;

public sealed class LlamaVocabularyConverterTests
{
    [Fact]
    public void ByteLevelUnicode_EveryByte_RoundTrips()
    {
        var seen = new HashSet<char>();
        for (int b = 0; b < 256; b++)
        {
            char c = ByteLevelUnicode.ToChar((byte)b);
            Assert.True(seen.Add(c));
            Assert.True(ByteLevelUnicode.TryGetByte(c, out byte back));
            Assert.Equal(b, back);
        }
    }

    [Theory]
    [InlineData((byte)' ', 'Ġ')]
    [InlineData((byte)'\n', 'Ċ')]
    [InlineData((byte)'A', 'A')]
    [InlineData((byte)0x00, 'Ā')]
    [InlineData((byte)0xAD, 'Ń')]
    [InlineData((byte)0xC3, 'Ã')]
    public void ByteLevelUnicode_KnownBytes_MapLikeGpt2(byte value, char expected) => Assert.Equal(expected, ByteLevelUnicode.ToChar(value));

    [Fact]
    public void ByteLevelUnicode_CharacterOutsideTheTable_IsRejected() => Assert.False(ByteLevelUnicode.TryGetByte('中', out _));

    [Fact]
    public void ConvertBase64Vocabulary_SyntheticTokens_WritesBase64OfBytesAndIdPerLine()
    {
        // "!", " the", "\n", "é" (UTF-8 C3 A9, written "Ã©"), "\t\t"
        string vocabulary = Base64Tokens("!", "Ġthe", "Ċ", "Ã©", "ĉĉ");

        byte[] file = LlamaVocabularyConverter.ConvertBase64Vocabulary(vocabulary);

        Assert.Equal("IQ== 0\nIHRoZQ== 1\nCg== 2\nw6k= 3\nCQk= 4\n", Encoding.ASCII.GetString(file));
    }

    [Fact]
    public void ConvertBase64Vocabulary_CharacterOutsideTheTable_SaysWhichToken()
    {
        var ex = Assert.Throws<InvalidDataException>(() => LlamaVocabularyConverter.ConvertBase64Vocabulary(Base64Tokens("a", "b中")));

        Assert.Contains("Token 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertBase64Vocabulary_NotBase64_IsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => LlamaVocabularyConverter.ConvertBase64Vocabulary("not base64!"));
    }

    [Theory]
    [InlineData("const llama_vocab_base64 = \"QUJD\";\nconst other = 1;")]
    [InlineData("var x = llama_vocab_base64 || y; const llama_vocab_base64='QUJD'")]
    [InlineData("llama_vocab_base64=`QUJD`")]
    public void FindVocabulary_StringConstant_ReturnsItsText(string bundle)
    {
        Assert.Equal("QUJD", LlamaVocabularyConverter.FindVocabulary(bundle).ToString());
    }

    [Theory]
    [InlineData("const nothing = 1;")]
    [InlineData("const llama_vocab_base64 = load();")]
    [InlineData("const llama_vocab_base64 = \"unterminated")]
    public void FindVocabulary_NoStringConstant_IsInvalidData(string bundle)
    {
        Assert.Throws<InvalidDataException>(() => LlamaVocabularyConverter.FindVocabulary(bundle).ToString());
    }

    [Fact]
    public async Task ConvertTarballAsync_SyntheticPackage_FindsTheBundleAndConverts()
    {
        using MemoryStream tarball = CreatePackage(Base64Tokens("!", "Ġthe"));

        byte[] file = await LlamaVocabularyConverter.ConvertTarballAsync(tarball, TestContext.Current.CancellationToken);

        Assert.Equal("IQ== 0\nIHRoZQ== 1\n", Encoding.ASCII.GetString(file));
    }

    [Fact]
    public async Task ConvertTarballAsync_PackageWithoutBundle_IsInvalidData()
    {
        using MemoryStream tarball = CreatePackage(Base64Tokens("!"), entryName: "package/README.md");

        await Assert.ThrowsAsync<InvalidDataException>(() => LlamaVocabularyConverter.ConvertTarballAsync(tarball, TestContext.Current.CancellationToken));
    }

    internal static string Base64Tokens(params string[] tokens) => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', tokens)));

    internal static MemoryStream CreatePackage(string vocabularyBase64, string entryName = LlamaVocabularyConverter.BundleEntry)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/package.json") { DataStream = new MemoryStream("{}"u8.ToArray()) });
            string bundle = $"class Llama3Tokenizer {{}}\nconst llama_vocab_base64 = \"{vocabularyBase64}\";\nconst llama_merges_binary = \"AAAA\";\n";
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(bundle)) });
        }

        output.Position = 0;
        return output;
    }
}
