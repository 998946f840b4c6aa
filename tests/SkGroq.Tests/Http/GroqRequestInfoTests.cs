using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SkGroq.Http;

namespace SkGroq.Tests.Http;

public sealed class GroqRequestInfoTests
{
    private const string Body = """{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Hi"}],"stream":true}""";

    [Fact]
    public async Task GetOrCreate_ReadsTheBodyOnce_PutsTheSameBytesBack_AndLetsTheCallersContentGo()
    {
        using HttpRequestMessage request = SdkLikeRequest();
        var original = (TrackingContent)request.Content!;

        GroqRequestInfo info = await GetOrCreateAsync(request);
        GroqRequestInfo again = await GetOrCreateAsync(request);

        Assert.Same(info, again);
        Assert.Equal(1, original.Serializations);
        Assert.True(original.Disposed);
        Assert.NotSame(original, request.Content);
        Assert.Equal(Body, Encoding.UTF8.GetString(info.Body.Span));
        Assert.Equal(Body, await request.Content!.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json; charset=utf-8", request.Content.Headers.ContentType!.ToString());
        Assert.Equal(["kept"], request.Content.Headers.GetValues("X-Content-Note"));
        Assert.Equal(Encoding.UTF8.GetByteCount(Body), request.Content.Headers.ContentLength);
        Assert.Equal("llama-3.1-8b-instant", info.OriginalModel);
        Assert.True(info.IsChatCompletion);
    }

    [Fact]
    public async Task GetOrCreate_KeepsContentThatIsAlreadyBytes()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions") { Content = content };

        GroqRequestInfo info = await GetOrCreateAsync(request);

        Assert.Same(content, request.Content);
        Assert.Equal(Body, Encoding.UTF8.GetString(info.Body.Span));
    }

    [Fact]
    public async Task ReplaceBody_SendsTheNewBytes_WithTheSameContentHeaders_AndReReadsTheModel()
    {
        using HttpRequestMessage request = SdkLikeRequest();
        GroqRequestInfo info = await GetOrCreateAsync(request);
        string replaced = Body.Replace("llama-3.1-8b-instant", "openai/gpt-oss-20b", StringComparison.Ordinal);

        info.ReplaceBody(request, Encoding.UTF8.GetBytes(replaced));

        Assert.Equal(replaced, await request.Content!.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json", request.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["kept"], request.Content.Headers.GetValues("X-Content-Note"));
        Assert.Equal(Encoding.UTF8.GetByteCount(replaced), request.Content.Headers.ContentLength);
        Assert.Equal("openai/gpt-oss-20b", info.Model);
        Assert.Equal("llama-3.1-8b-instant", info.OriginalModel);
    }

    [Fact]
    public async Task GetOrCreate_RequestsForTheModelOfTheOneBefore_ShareItsName()
    {
        // Other tests parse requests in parallel and may name another model in between: one shared pair is the proof.
        string? previous = null;
        bool shared = false;
        for (int i = 0; i < 20 && !shared; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions")
            {
                Content = new ByteArrayContent("""{"model":"name\u002Dsharing-model","messages":[]}"""u8.ToArray()),
            };
            GroqRequestInfo info = await GetOrCreateAsync(request);
            Assert.Equal("name-sharing-model", info.Model);
            shared = previous is not null && ReferenceEquals(previous, info.Model);
            previous = info.Model;
        }

        Assert.True(shared);
    }

    private static HttpRequestMessage SdkLikeRequest()
    {
        var content = new TrackingContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        content.Headers.Add("X-Content-Note", "kept");
        return new HttpRequestMessage(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions") { Content = content };
    }

    private static ValueTask<GroqRequestInfo> GetOrCreateAsync(HttpRequestMessage request)
        => GroqRequestInfo.GetOrCreateAsync(request, TimeProvider.System, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

    /// <summary>Content like the SDK's: serialized on demand, buffered by the first read.</summary>
    private sealed class TrackingContent(string text) : HttpContent
    {
        public int Serializations { get; private set; }

        public bool Disposed { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Serializations++;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
