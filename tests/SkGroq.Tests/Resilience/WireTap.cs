namespace SkGroq.Tests.Resilience;

/// <summary>
/// A handler placed below the whole pipeline (just above the socket) that records every attempt as it goes on the wire:
/// when (fake clock) and the exact body bytes — what the emulator receives.
/// </summary>
internal sealed class WireTap(TimeProvider time, WireLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        log.Add(new WireAttempt(time.GetUtcNow(), body));
        return await base.SendAsync(request, cancellationToken);
    }
}
