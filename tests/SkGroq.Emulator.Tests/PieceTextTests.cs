using SkGroq.Emulator.Chat;

namespace SkGroq.Tests.Emulator;

public sealed class PieceTextTests
{
    private static readonly Func<string, int> s_oneTokenPerChar = static s => s.Length;

    [Fact]
    public void Truncate_CutsInsideAPieceToExactlyTheBudget()
    {
        var text = new PieceText();
        text.Append("Hello", 5);
        text.Append(" world", 6);

        int kept = text.Truncate(8, s_oneTokenPerChar);

        Assert.Equal(8, kept);
        Assert.Equal("Hello wo", text.Text);
        Assert.Equal(2, text.Pieces.Count);
    }

    [Fact]
    public void Truncate_NeverSplitsASurrogatePair()
    {
        var text = new PieceText();
        text.Append("a😀b", 4);

        text.Truncate(2, s_oneTokenPerChar);

        Assert.Equal("a", text.Text);
    }

    [Fact]
    public void CutAt_KeepsWholePiecesAndRecountsThePartialOne()
    {
        var text = new PieceText();
        text.Append("The", 1);
        text.Append(" capital", 1);
        text.Append(" city", 1);

        text.CutAt(7, s_oneTokenPerChar);

        Assert.Equal("The cap", text.Text);
        Assert.Equal(1 + 4, text.Tokens);
        Assert.Equal(7, text.Length);
    }

    [Fact]
    public void TextGenerator_IsDeterministicAndReachesTheTarget()
    {
        var generator = new TextGenerator();
        var first = new PieceText();
        var second = new PieceText();

        generator.Generate(42, 30, "m", s_oneTokenPerChar, first);
        generator.Generate(42, 30, "m", s_oneTokenPerChar, second);

        Assert.Equal(first.Text, second.Text);
        Assert.True(first.Tokens >= 30);
        Assert.True(char.IsUpper(first.Text[0]));
        Assert.EndsWith(".", first.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TextGenerator_SpellsPluralsAsEnglishDoes()
    {
        var generator = new TextGenerator();
        var words = new HashSet<string>(StringComparer.Ordinal);
        for (ulong seed = 0; seed < 200; seed++)
        {
            var text = new PieceText();
            generator.Generate(seed, 200, "m", s_oneTokenPerChar, text);
            words.UnionWith(text.Text.Split([' ', '\n', ',', '.'], StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.Contains("processes", words);
        Assert.DoesNotContain("processs", words);
        Assert.All(words, static word => Assert.DoesNotMatch("(ss|x|ch|sh)s$", word));
    }
}
