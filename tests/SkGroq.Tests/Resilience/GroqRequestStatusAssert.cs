using SkGroq.Context;

namespace SkGroq.Tests.Resilience;

internal static class GroqRequestStatusAssert
{
    public static void Retrying(IReadOnlyList<GroqRequestStatus> statuses, string message)
        => Assert.Contains(statuses, s => s.Phase == GroqRequestPhase.Retrying && s.Message == message);
}
