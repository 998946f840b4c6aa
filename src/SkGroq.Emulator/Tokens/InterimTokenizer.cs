using System.Text;
using System.Text.Json;

namespace SkGroq.Emulator.Tokens;

/// <summary>
/// A stand-in until SkGroq's token counter lands on main (feature/tokens): about four UTF-8 bytes per token and the
/// Llama 3 template arithmetic of ../shared/tokens.md. Not exact; replaced by <c>SkGroqTokenizer</c>.
/// </summary>
internal sealed class InterimTokenizer : IEmulatorTokenizer
{
    private const int TemplateTokens = 30;
    private const int PerMessageTokens = 5;

    public int CountPromptTokens(string model, ReadOnlySpan<byte> requestJson)
    {
        var reader = new Utf8JsonReader(requestJson);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        int total = TemplateTokens;
        if (document.RootElement.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement message in messages.EnumerateArray())
            {
                total += PerMessageTokens;
                if (message.TryGetProperty("content", out JsonElement content))
                {
                    total += content.ValueKind == JsonValueKind.String ? CountTokens(model, content.GetString()!) : Approximate(content.GetRawText().Length);
                }
            }
        }

        if (document.RootElement.TryGetProperty("tools", out JsonElement tools))
        {
            total += Approximate(tools.GetRawText().Length);
        }

        return total;
    }

    public int CountTokens(string model, string text) => Approximate(Encoding.UTF8.GetByteCount(text));

    public int EndOfTurnTokens(string model) => 1;

    private static int Approximate(int bytes) => bytes == 0 ? 0 : (bytes + 3) / 4;
}
