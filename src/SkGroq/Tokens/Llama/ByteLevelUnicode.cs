namespace SkGroq.Tokens.Llama;

/// <summary>GPT-2's <c>bytes_to_unicode</c> table: the printable stand-in character of every byte, used by byte-level BPE vocabularies in text form.</summary>
/// <remarks>
/// Bytes that are printable Latin-1 (<c>!</c>–<c>~</c>, <c>¡</c>–<c>¬</c>, <c>®</c>–<c>ÿ</c>) stand for themselves; the other 68
/// bytes map, in increasing order, to U+0100 onwards (space is <c>Ġ</c>, newline <c>Ċ</c>).
/// </remarks>
internal static class ByteLevelUnicode
{
    private static readonly char[] s_byteToChar = CreateTable();
    private static readonly Dictionary<char, byte> s_charToByte = s_byteToChar.Select(static (c, b) => (c, b)).ToDictionary(static p => p.c, static p => (byte)p.b);

    /// <summary>Gets the stand-in character of a byte.</summary>
    /// <param name="value">The byte.</param>
    /// <returns>The character.</returns>
    public static char ToChar(byte value) => s_byteToChar[value];

    /// <summary>Gets the byte a stand-in character represents.</summary>
    /// <param name="c">The character.</param>
    /// <param name="value">The byte.</param>
    /// <returns><see langword="false"/> when the character stands for no byte.</returns>
    public static bool TryGetByte(char c, out byte value) => s_charToByte.TryGetValue(c, out value);

    private static char[] CreateTable()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }
}
