using System.Net;
using SkGroq.Errors;

namespace SkGroq.Tests.Errors;

public sealed class HeaderValuesTests
{
    [Fact]
    public void First_ReadsTheFirstValueAsSent_AndNullWhenAbsent()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("x-request-id", "req_01");
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset-tokens", ["7.66s", "8s"]);

        Assert.Equal("req_01", HeaderValues.First(response.Headers, "x-request-id"));
        Assert.Equal("7.66s", HeaderValues.First(response.Headers, "x-ratelimit-reset-tokens"));
        Assert.Null(HeaderValues.First(response.Headers, "retry-after"));
    }
}
