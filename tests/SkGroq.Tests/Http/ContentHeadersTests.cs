using System.Net.Http.Headers;
using System.Text;
using SkGroq.Errors;
using SkGroq.Http;

namespace SkGroq.Tests.Http;

public sealed class ContentHeadersTests
{
    [Theory]
    [InlineData("text/event-stream", "text/event-stream")]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("  Application/JSON ;charset=utf-8", "Application/JSON")]
    [InlineData("application/problem+json", "application/problem+json")]
    [InlineData("garbage", null)]
    [InlineData("text/", null)]
    [InlineData("/json", null)]
    public void MediaType_IsTheTypeWithoutParameters_OrNullWhenNotATypeAndSubtype(string header, string? expected)
    {
        using var content = new ByteArrayContent([]);
        content.Headers.TryAddWithoutValidation("Content-Type", header);

        Assert.Equal(expected, ContentHeaders.MediaType(content));
    }

    [Fact]
    public void MediaType_WithoutAContentTypeOrContent_IsNull()
    {
        using var content = new ByteArrayContent([]);
        Assert.Null(ContentHeaders.MediaType(content));
        Assert.Null(ContentHeaders.MediaType(null));
    }

    [Fact]
    public void MediaType_AgreesWithTheTypedHeader()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");

        Assert.Equal(content.Headers.ContentType!.MediaType, ContentHeaders.MediaType(content));
    }

    [Fact]
    public void CopyUnparsed_CopiesEveryHeaderButTheLength_Unparsed()
    {
        using var from = new ByteArrayContent([1, 2, 3]);
        from.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream; charset=utf-8");
        from.Headers.TryAddWithoutValidation("Content-Encoding", ["gzip", "br"]);
        from.Headers.ContentLength = 3;
        using var to = new ByteArrayContent([]);

        ContentHeaders.CopyUnparsed(from, to);

        Assert.Equal("text/event-stream; charset=utf-8", HeaderValues.First(to.Headers, "Content-Type"));
        Assert.Equal(["gzip", "br"], to.Headers.ContentEncoding);
        Assert.Equal(0, to.Headers.ContentLength);
        Assert.Equal(new MediaTypeHeaderValue("text/event-stream") { CharSet = "utf-8" }, to.Headers.ContentType);
    }
}
