namespace SkGroq.Tests.Emulator;

/// <summary>One server-sent event: its <c>event:</c> name (null when absent) and <c>data:</c>.</summary>
internal sealed record SseFrame(string? Event, string Data)
{
    /// <summary>Splits an SSE body into frames (blank-line separated).</summary>
    public static List<SseFrame> Parse(string body)
    {
        var frames = new List<SseFrame>();
        foreach (string block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new List<string>();
            foreach (string line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line["data: ".Length..]);
                }
            }

            frames.Add(new SseFrame(name, string.Join('\n', data)));
        }

        return frames;
    }
}
