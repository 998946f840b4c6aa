using System.Text;
using SkGroq.Tests.Inspection;

namespace SkGroq.Tests.Caching;

/// <summary>Recorded Groq answers (TestData/inspection-*) as the cache sees them.</summary>
internal static class CachingTestData
{
    /// <summary>The data payloads of a recorded SSE file, without <c>[DONE]</c>, split independently of the code under test.</summary>
    public static List<ReadOnlyMemory<byte>> Payloads(string sse)
        => [.. sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(frame => frame.StartsWith("data: ", StringComparison.Ordinal) && frame != "data: [DONE]")
            .Select(frame => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(frame["data: ".Length..]))];

    public static List<ReadOnlyMemory<byte>> RecordedPayloads(string name) => Payloads(InspectionTestData.Text(name));

    /// <summary>Frames payloads as Groq does.</summary>
    public static string Frame(IEnumerable<ReadOnlyMemory<byte>> payloads)
        => string.Concat(payloads.Select(p => "data: " + Encoding.UTF8.GetString(p.Span) + "\n\n")) + "data: [DONE]\n\n";
}
