using System.Text;
using System.Text.Json;

namespace SkGroq.Tests.Resilience;

/// <summary>One attempt as it went on the wire.</summary>
internal sealed record WireAttempt(DateTimeOffset At, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Model
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.TryGetProperty("model", out JsonElement model) ? model.GetString() : null;
        }
    }
}
