using System.Globalization;
using SkGroq.Emulator;
using SkGroq.Emulator.Accounting;
using SkGroq.Models;

namespace SkGroq.Tests.RateLimiting.Redis.MultiProcess;

/// <summary>
/// Four worker processes (tests/SkGroq.QuotaWorker, SkGroq's whole pipeline each) share one emulator
/// organization through Redis. Fast versions for the suite; <c>SKGROQ_MULTIPROCESS_SECONDS</c> stretches each phase for the
/// long run documented in docs/BENCHMARKS.md.
/// </summary>
/// <remarks>
/// Accelerated by high limits, not a fake clock (the processes and Redis run on real time): 600 RPM and 24,000 TPM refill
/// 10 requests and 400 tokens a second, so a few seconds show both the initial burst and the sustained refill rate.
/// Phases end on signals from the workers (an answer stamped past the phase's end, log events), never on sleeps.
/// </remarks>
[Collection(nameof(MultiProcessGroup))]
public sealed class MultiProcessQuotaTests
{
    private const string Model = "llama-3.1-8b-instant";
    private const int Workers = 4;
    private const long RequestsPerMinute = 600;
    private const long TokensPerMinute = 24_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TimeSpan Phase(double seconds)
        => TimeSpan.FromSeconds(seconds * (double.TryParse(Environment.GetEnvironmentVariable("SKGROQ_MULTIPROCESS_SECONDS"), CultureInfo.InvariantCulture, out double scale) ? scale / 8 : 1));

    [Fact]
    public async Task FourProcesses_OneOrganization_StayWithinTheLimitsAndReachThem()
    {
        await RedisTestServer.RequireAsync();
        string prefix = RedisTestServer.NewPrefix();
        using CancellationTokenSource timeout = Timeout(Phase(8) + TimeSpan.FromSeconds(60));
        await using GroqEmulator emulator = await StartEmulatorAsync();
        try
        {
            await using MultiProcessRun run = await MultiProcessRun.StartAsync(Workers, i => Arguments(emulator, RedisTestServer.Endpoint, prefix), timeout.Token);
            await run.GoAsync();
            long end = run.GoAt + (long)Phase(8).TotalMilliseconds;
            await run.WaitForAsync(r => r.LastAnswerAt >= end, timeout.Token);
            IReadOnlyList<(WorkerResult Report, int ExitCode, string Errors)> results = await run.StopAsync(timeout.Token);

            EmulatorUsage usage = emulator.Accounting.Get(emulator.ApiKey, Model);
            double seconds = (run.LastAnswerAt - run.GoAt) / 1000.0;
            double requests = usage.Succeeded / (RequestsPerMinute * (1 + (seconds / 60)));
            double tokens = usage.TotalTokens / (TokensPerMinute * (1 + (seconds / 60)));
            long half = run.GoAt + (long)(seconds * 500);
            (int lateCount, long lateTokens) = run.AnswersBetween(half, run.LastAnswerAt + 1);
            double lateSeconds = (run.LastAnswerAt - half) / 1000.0;
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Workers} processes, {seconds:0.0} s: {usage.Requests} requests received, {usage.Succeeded} answered, {usage.RateLimited} 429s; {usage.TotalTokens} tokens; " +
                $"of the most the buckets allow since the start: requests {requests:P1}, tokens {tokens:P1}; second half: {lateCount / lateSeconds:0.0} requests/s, {lateTokens / lateSeconds:0} tokens/s (refill {RequestsPerMinute / 60.0:0.0}/s, {TokensPerMinute / 60.0:0}/s)"));

            Assert.All(results, r => Assert.Equal(0, r.ExitCode));
            Assert.All(results, r => Assert.Empty(r.Report.Failures));
            Assert.Equal(results.Sum(r => r.Report.Sent), results.Sum(r => r.Report.Succeeded));
            Assert.True(usage.RateLimited <= usage.Requests / 100, $"{usage.RateLimited} of {usage.Requests} requests got a 429 from the emulator (at most 1% allowed).");
            Assert.True(Math.Max(requests, tokens) >= 0.9, string.Create(CultureInfo.InvariantCulture, $"The processes used {requests:P1} of the requests and {tokens:P1} of the tokens the limits allowed; at least 90% of the binding one is expected."));
        }
        finally
        {
            await RedisTestServer.DeleteKeysAsync(prefix);
        }
    }

    [Fact]
    public async Task FourProcesses_RedisKilledAndRestarted_FallBackToTheirShare_LoseNothing_AndRejoin()
    {
        using CancellationTokenSource timeout = Timeout((3 * Phase(4)) + TimeSpan.FromSeconds(60));
        await using RedisServerProcess redis = await RedisServerProcess.StartAsync(timeout.Token);
        await using GroqEmulator emulator = await StartEmulatorAsync();
        await using MultiProcessRun run = await MultiProcessRun.StartAsync(Workers, i => Arguments(emulator, redis.Endpoint, "skgroq-outage", rejoin: TimeSpan.FromSeconds(3)), timeout.Token);
        await run.GoAsync();

        // Shared, past the first burst.
        await run.WaitForAsync(r => r.LastAnswerAt >= r.GoAt + (long)Phase(4).TotalMilliseconds, timeout.Token);
        await redis.KillAsync();
        long killedAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await run.WaitForAsync(r => r.WorkersWith("SharedQuotaLocalShare") == Workers && r.LastAnswerAt >= killedAt + (long)Phase(4).TotalMilliseconds, timeout.Token);
        long restartedAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        (int outageAnswers, long outageTokens) = run.AnswersBetween(killedAt, restartedAt);

        await redis.StartAgainAsync(timeout.Token);
        await run.WaitForAsync(r => r.WorkersWith("SharedQuotaResumed") == Workers && r.LastAnswerAt >= restartedAt + (long)Phase(4).TotalMilliseconds, timeout.Token);
        IReadOnlyList<(WorkerResult Report, int ExitCode, string Errors)> results = await run.StopAsync(timeout.Token);

        EmulatorUsage usage = emulator.Accounting.Get(emulator.ApiKey, Model);
        double outageSeconds = (restartedAt - killedAt) / 1000.0;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{usage.Requests} requests received, {usage.Succeeded} answered, {usage.RateLimited} 429s; Redis down {outageSeconds:0.0} s: {outageAnswers} answers ({outageAnswers / outageSeconds:0.0}/s), {outageTokens / outageSeconds:0} tokens/s " +
            $"(refill {RequestsPerMinute / 60.0:0.0}/s, {TokensPerMinute / 60.0:0}/s); reports: {string.Join("; ", results.Select(r => $"{r.Report.Name} {r.Report.Succeeded}/{r.Report.Sent} {r.Report.Mode} outages {r.Report.Outages} rejoins {r.Report.Rejoins}"))}"));

        // No crash, nothing lost: every request sent was answered.
        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"{r.Report.Name} exited with {r.ExitCode}: {r.Errors}"));
        Assert.Empty(run.Failures());
        Assert.All(results, r => Assert.Equal(r.Report.Sent, r.Report.Succeeded));

        // The fallback applied (each process kept admitting on its own share) and everyone came back to the shared quota.
        Assert.True(outageAnswers > 0, "No request was answered while Redis was down.");
        Assert.All(results, r => Assert.True(r.Report.Outages >= 1 && r.Report.Rejoins >= 1 && r.Report.Mode == "Shared", $"{r.Report.Name}: {r.Report}"));
        Assert.True(usage.RateLimited <= usage.Requests / 100, $"{usage.RateLimited} of {usage.Requests} requests got a 429 from the emulator (at most 1% allowed).");
    }

    private static async Task<GroqEmulator> StartEmulatorAsync()
    {
        var options = new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
        options.Limits[Model] = new ModelLimits(RequestsPerMinute, null, TokensPerMinute, null);
        return await GroqEmulator.StartAsync(options, Ct);
    }

    private static IEnumerable<string> Arguments(GroqEmulator emulator, string redis, string prefix, TimeSpan? rejoin = null) =>
    [
        "--base-url", emulator.BaseUrl.AbsoluteUri,
        "--api-key", emulator.ApiKey,
        "--redis", redis,
        "--prefix", prefix,
        "--instances", Workers.ToString(CultureInfo.InvariantCulture),
        "--rejoin-ms", ((int)(rejoin ?? TimeSpan.FromSeconds(10)).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        "--model", Model,
        "--rpm", RequestsPerMinute.ToString(CultureInfo.InvariantCulture),
        "--tpm", TokensPerMinute.ToString(CultureInfo.InvariantCulture),
        "--concurrency", "4",
        "--max-tokens", "64",
    ];

    private static CancellationTokenSource Timeout(TimeSpan limit)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        source.CancelAfter(limit);
        return source;
    }
}
