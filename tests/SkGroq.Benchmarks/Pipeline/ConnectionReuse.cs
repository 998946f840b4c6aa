using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Http;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// The first request pays for the connection, the rest must not: for each of N fresh applications (a new service provider,
/// so a new <c>groq</c> client and pool), times the first Semantic Kernel request (cold: connect + first use), reads the
/// connect time from <see cref="GroqConnectionStats"/>, then times the following requests (warm) and checks that they
/// opened no connection. Also a bare HttpClient the same way, for the cost of a loopback connection alone.
/// </summary>
internal static class ConnectionReuse
{
    private const int Applications = 30;
    private const int WarmRequests = 20;

    public static async Task<string> RunAsync(PipelineFixture fixture)
    {
        TimeProvider clock = TimeProvider.System;
        var cold = new List<double>();
        var connect = new List<double>();
        var warm = new List<double>();
        var connectionsAfterWarm = new List<long>();
        var bareCold = new List<double>();
        var bareWarm = new List<double>();
        byte[] buffer = new byte[16 * 1024];
        for (int app = 0; app < Applications; app++)
        {
            await using (ServiceProvider services = PipelineFixture.BuildPipeline(fixture.Emulator))
            {
                IChatCompletionService chat = services.GetRequiredService<IChatCompletionService>();
                GroqConnectionStats stats = services.GetRequiredService<GroqConnectionStats>();
                long start = clock.GetTimestamp();
                await chat.GetChatMessageContentAsync(fixture.History, fixture.Settings);
                cold.Add(clock.GetElapsedTime(start).TotalMicroseconds);
                connect.Add(stats.LastConnectTime?.TotalMicroseconds ?? double.NaN);
                for (int i = 0; i < WarmRequests; i++)
                {
                    start = clock.GetTimestamp();
                    await chat.GetChatMessageContentAsync(fixture.History, fixture.Settings);
                    warm.Add(clock.GetElapsedTime(start).TotalMicroseconds);
                }

                connectionsAfterWarm.Add(stats.ConnectionsOpened);
            }

            var plain = new PlainConnections();
            using HttpClient bare = PipelineFixture.CreateBare(fixture.Emulator, plain);
            long bareStart = clock.GetTimestamp();
            await PipelineCalls.HttpJsonAsync(bare, fixture, buffer);
            bareCold.Add(clock.GetElapsedTime(bareStart).TotalMicroseconds);
            for (int i = 0; i < WarmRequests; i++)
            {
                bareStart = clock.GetTimestamp();
                await PipelineCalls.HttpJsonAsync(bare, fixture, buffer);
                bareWarm.Add(clock.GetElapsedTime(bareStart).TotalMicroseconds);
            }
        }

        var text = new StringBuilder();
        text.AppendLine(Invariant($"Connection reuse: {Applications} fresh applications (new service provider, new pool), each: 1 cold + {WarmRequests} warm non-streaming requests through Semantic Kernel; medians in µs."));
        text.AppendLine();
        text.AppendLine("| Client | First request (cold) | Of which TCP connect | Later requests (warm) | Connections per application after all requests |");
        text.AppendLine("|---|---:|---:|---:|---|");
        text.AppendLine(Invariant($"| SK via SkGroq | {Median(cold):0} | {Median(connect):0} | {Median(warm):0} | {string.Join(", ", connectionsAfterWarm.Distinct())} |"));
        text.AppendLine(Invariant($"| bare HttpClient (raw JSON) | {Median(bareCold):0} | – | {Median(bareWarm):0} | |"));
        return text.ToString();
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
