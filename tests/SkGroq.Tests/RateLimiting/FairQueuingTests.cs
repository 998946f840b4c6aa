using Microsoft.Extensions.Time.Testing;
using SkGroq.Context;
using SkGroq.Models;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>Tenants take turns in the queue: one tenant's backlog does not hold up another's first request (fake time).</summary>
public sealed class FairQueuingTests : IDisposable
{
    private static readonly QuotaKey s_key = new("org_test", "llama-3.1-8b-instant");

    // One request a minute: every admission after the first waits for a refill, so the order of service is visible.
    private static readonly ModelLimits s_oneRpm = new(1, null, null, null);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly QuotaLimiter _limiter;
    private readonly SemaphoreSlim _admitted = new(0);

    public FairQueuingTests() => _limiter = new QuotaLimiter(new InMemoryQuotaStore(_time), _time, maxQueueLength: 1_000);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _limiter.Dispose();
        _admitted.Dispose();
    }

    [Fact]
    public async Task OneTenantsFiftyQueuedRequests_DoNotDelayAnotherTenantsFirstRequest()
    {
        await Acquire("acme");
        var order = new List<string>();
        var acme = Enumerable.Range(0, 50).Select(i => Track(Acquire("acme"), $"acme-{i}", order)).ToList();
        Task globex = Track(Acquire("globex"), "globex-0", order);

        // Refill one request at a time: acme's first waiter was already at the head, then globex has its turn.
        await AdmitNextAsync(order, 1);
        await AdmitNextAsync(order, 2);

        Assert.Equal(["acme-0", "globex-0"], order);
        Assert.True(globex.IsCompletedSuccessfully);
        Assert.Equal(49, _limiter.GetQueueLength(s_key));
    }

    [Fact]
    public async Task Tenants_TakeTurns_EachKeepingItsOwnOrder()
    {
        await Acquire("a");
        var order = new List<string>();
        var tasks = new List<Task>();
        for (int i = 0; i < 3; i++)
        {
            tasks.Add(Track(Acquire("a"), $"a{i}", order));
        }

        for (int i = 0; i < 2; i++)
        {
            tasks.Add(Track(Acquire("b"), $"b{i}", order));
        }

        tasks.Add(Track(Acquire(null), "none0", order));
        for (int n = 1; n <= 6; n++)
        {
            await AdmitNextAsync(order, n);
        }

        Assert.Equal(["a0", "b0", "none0", "a1", "b1", "a2"], order);
    }

    [Fact]
    public async Task InteractiveRequests_StillGoBeforeBackgroundOnes_WhateverTheTenant()
    {
        await Acquire("a");
        var order = new List<string>();
        Task background = Track(Acquire("a", GroqPriority.Background), "a-background", order);
        Task interactive = Track(Acquire("b"), "b-interactive", order);

        await AdmitNextAsync(order, 1);
        await AdmitNextAsync(order, 2);

        Assert.Equal(["b-interactive", "a-background"], order);
    }

    private Task<QuotaLease> Acquire(string? tenant, GroqPriority priority = GroqPriority.Interactive) =>
        _limiter.AcquireAsync(s_key, QuotaRequest.Exact(10, s_oneRpm) with { Tenant = tenant }, priority, _time.GetUtcNow().AddHours(2), cancellationToken: Ct).AsTask();

    private Task Track(Task<QuotaLease> acquire, string name, List<string> order) =>
        acquire.ContinueWith(
            t =>
            {
                lock (order)
                {
                    order.Add(name);
                }

                _admitted.Release();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

    private async Task AdmitNextAsync(List<string> order, int expected)
    {
        // One refill admits exactly one waiter; its tracking continuation records it and signals.
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await _admitted.WaitAsync(TimeSpan.FromSeconds(10), Ct), $"admission #{expected} did not happen after the refill");
        lock (order)
        {
            Assert.Equal(expected, order.Count);
        }
    }
}
