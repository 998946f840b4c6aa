using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.Configuration;

namespace SkGroq.Tests.Integration;

/// <summary>What the <c>groq</c> HttpClient puts on the wire, read by a raw loopback socket.</summary>
public sealed class WireHeadersTests
{
    [Fact]
    public async Task Requests_AskForNoCompressedAnswer()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = "gsk_wire0000000000000000000000000000000000000000000000000000";
            o.BaseUrl = $"http://127.0.0.1:{port}/openai/v1";
            o.Usage.Persist = false;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);

        Task<HttpResponseMessage> sending = http.GetAsync("models", cancellationToken);
        using TcpClient connection = await listener.AcceptTcpClientAsync(cancellationToken);
        NetworkStream stream = connection.GetStream();
        string head = await ReadHeadAsync(stream, cancellationToken);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray(), cancellationToken);
        using HttpResponseMessage response = await sending;

        Assert.StartsWith("GET /openai/v1/models HTTP/1.1", head, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer gsk_wire", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Accept-Encoding", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.NotEqual(0, read);
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }
}
