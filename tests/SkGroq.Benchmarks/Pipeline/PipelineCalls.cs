using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// One request of each kind, the same way for every client: a JSON answer read whole; a stream read to its first piece of
/// text; a stream read to its end. Each returns <see cref="TimeProvider.GetTimestamp"/> at the moment it is done (for the
/// first token: before the stream is disposed, so the interleaved sampler can leave disposal out).
/// </summary>
internal static class PipelineCalls
{
    private static readonly byte[] s_content = "\"content\":\""u8.ToArray();

    public static async Task<long> SkJsonAsync(IChatCompletionService chat, PipelineFixture fixture)
    {
        ChatMessageContent answer = await chat.GetChatMessageContentAsync(fixture.History, fixture.Settings);
        return answer.Content is { Length: > 0 } ? Now() : throw Empty();
    }

    public static async Task<long> SkFirstTokenAsync(IChatCompletionService chat, PipelineFixture fixture)
    {
        await using IAsyncEnumerator<StreamingChatMessageContent> stream = chat.GetStreamingChatMessageContentsAsync(fixture.History, fixture.Settings).GetAsyncEnumerator();
        while (await stream.MoveNextAsync())
        {
            if (!string.IsNullOrEmpty(stream.Current.Content))
            {
                return Now();
            }
        }

        throw Empty();
    }

    public static async Task<long> SkToEndAsync(IChatCompletionService chat, PipelineFixture fixture)
    {
        int chunks = 0;
        await foreach (StreamingChatMessageContent update in chat.GetStreamingChatMessageContentsAsync(fixture.History, fixture.Settings))
        {
            chunks += string.IsNullOrEmpty(update.Content) ? 0 : 1;
        }

        return chunks > 0 ? Now() : throw Empty();
    }

    public static Task<long> HttpJsonAsync(HttpClient http, PipelineFixture fixture, byte[] buffer)
        => HttpWholeAsync(http, fixture, fixture.JsonBody, HttpCompletionOption.ResponseContentRead, buffer);

    public static async Task<long> HttpFirstTokenAsync(HttpClient http, PipelineFixture fixture, byte[] buffer)
    {
        using HttpRequestMessage request = fixture.Request(fixture.StreamBody);
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Stream body = await response.Content.ReadAsStreamAsync();
        await using (body)
        {
            return await ReadToFirstContentAsync(body, buffer);
        }
    }

    public static Task<long> HttpToEndAsync(HttpClient http, PipelineFixture fixture, byte[] buffer)
        => HttpWholeAsync(http, fixture, fixture.StreamBody, HttpCompletionOption.ResponseHeadersRead, buffer);

    private static async Task<long> HttpWholeAsync(HttpClient http, PipelineFixture fixture, byte[] body, HttpCompletionOption completion, byte[] buffer)
    {
        using HttpRequestMessage request = fixture.Request(body);
        using HttpResponseMessage response = await http.SendAsync(request, completion);
        response.EnsureSuccessStatusCode();
        Stream content = await response.Content.ReadAsStreamAsync();
        await using (content)
        {
            return await ReadToEndAsync(content, buffer) > 0 ? Now() : throw Empty();
        }
    }

    private static long Now() => TimeProvider.System.GetTimestamp();

    private static InvalidOperationException Empty() => new("The answer had no content: the emulator or the client is misconfigured.");

    private static async Task<long> ReadToEndAsync(Stream body, byte[] buffer)
    {
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Reads SSE bytes until a frame carries non-empty <c>"content"</c> (the role chunk's <c>"content":""</c> does not count).</summary>
    private static async Task<long> ReadToFirstContentAsync(Stream body, byte[] buffer)
    {
        int filled = 0;
        int scanned = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                // Keep the tail: a match may straddle the refill.
                buffer.AsSpan(filled - s_content.Length, s_content.Length).CopyTo(buffer);
                filled = s_content.Length;
                scanned = 0;
            }

            int read = await body.ReadAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                throw Empty();
            }

            filled += read;
            int from = Math.Max(0, scanned - s_content.Length);
            while (from < filled)
            {
                int found = buffer.AsSpan(from, filled - from).IndexOf(s_content);
                int after = from + found + s_content.Length;
                if (found < 0 || after >= filled)
                {
                    break;
                }

                if (buffer[after] != (byte)'"')
                {
                    return Now();
                }

                from = after;
            }

            scanned = filled;
        }
    }
}
