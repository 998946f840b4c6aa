using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.Emulator;
using SkGroq.Emulator.Scripting;
using SkGroq.Models;
using SkGroq.Usage;
using SkGroq.Web;

namespace SkGroq.Console.Bench.Web;

/// <summary>
/// Drives the web chat host the way browsers do: rounds of N sessions streaming at once over server-sent events, every
/// <c>DisconnectEvery</c>-th one leaving after its first frame. After each round it checks that every request ended
/// (the emulator answers nothing, each conversation holds its answer marked <c>ok</c> or <c>cancelled</c>, one usage record
/// per request) and reads the process after a full collection: managed heap, working set, open file descriptors, threads.
/// </summary>
/// <remarks>
/// The host, its emulator and the clients share this process, so every figure includes all three. Rate limits are lifted on
/// both sides: the run is about ending every request and holding nothing afterwards, not about queueing.
/// </remarks>
internal sealed class WebLoadRunner(WebLoadSettings settings, TimeProvider timeProvider)
{
    private const string Model = "llama-3.1-8b-instant";

    public async Task<WebLoadReport> RunAsync(IProgress<string> progress, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(Path.GetTempPath(), "skgroq-bench-web-" + Guid.NewGuid().ToString("N"));
        var options = new GroqEmulatorOptions { TimeToFirstToken = settings.TimeToFirstToken, TokensPerSecond = settings.TokensPerSecond };
        options.Limits[Model] = new ModelLimits(1_000_000, 1_000_000, 1_000_000_000, 1_000_000_000);
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(options, cancellationToken);
        emulator.Script.Always(ScriptedReply.Text(string.Join(' ', Enumerable.Repeat("token", settings.AnswerWords))));
        (WebApplication app, _) = await WebHost.BuildAsync([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Groq:ApiKey"] = emulator.ApiKey,
            ["Groq:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
            ["Groq:Usage:DatabasePath"] = Path.Combine(folder, "usage.db"),
            ["Groq:Models:" + Model + ":RequestsPerMinute"] = "1000000",
            ["Groq:Models:" + Model + ":RequestsPerDay"] = "1000000",
            ["Groq:Models:" + Model + ":TokensPerMinute"] = "1000000000",
            ["Groq:Models:" + Model + ":TokensPerDay"] = "1000000000",
            ["Web:Urls"] = "http://127.0.0.1:0",
            ["Web:Database"] = Path.Combine(folder, "conversations.db"),
            ["Web:KnowledgeBase"] = Path.Combine(folder, "no-knowledge-base"),
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        }));
        try
        {
            await app.StartAsync(cancellationToken);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            IUsageLedger ledger = app.Services.GetRequiredService<IUsageLedger>();

            progress.Report($"warming up ({settings.WarmupSessions} sessions)…");
            await RunRoundAsync(address, settings.WarmupSessions, emulator, ledger, cancellationToken);
            ProcessSnapshot baseline = ProcessSnapshot.Take();
            var rounds = new List<WebLoadRound>();
            for (int round = 1; round <= settings.Rounds; round++)
            {
                progress.Report($"round {round} of {settings.Rounds}: {settings.Sessions} sessions…");
                rounds.Add(await RunRoundAsync(address, settings.Sessions, emulator, ledger, cancellationToken) with { Round = round });
            }

            // After the run: idle long enough for the pooled connections to close (60 s idle) and the thread pool to retire
            // the threads the load added (20 s without work), then read the process once more.
            progress.Report($"idle for {settings.Settle.TotalSeconds:N0} s after the run…");
            await Task.Delay(settings.Settle, timeProvider, cancellationToken);
            return new WebLoadReport(settings, baseline, rounds, ProcessSnapshot.Take());
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<WebLoadRound> RunRoundAsync(Uri address, int sessions, GroqEmulator emulator, IUsageLedger ledger, CancellationToken cancellationToken)
    {
        long requestsBefore = emulator.Accounting.Get(emulator.ApiKey, Model).Requests;
        long recordsBefore = await CountRecordsAsync(ledger, cancellationToken);
        long start = timeProvider.GetTimestamp();
        var firstFrames = new TimeSpan[sessions];
        var conversations = new string[sessions];
        int cancelled = 0;
        await Parallel.ForAsync(0, sessions, new ParallelOptions { MaxDegreeOfParallelism = sessions, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            // Like a browser closing its tab: a response left unread closes its connection (no draining it for reuse).
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), MaxResponseDrainSize = 0 }) { BaseAddress = address };
            conversations[i] = (await (await http.PostAsJsonAsync("/api/conversations", new { }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
            bool leaves = settings.DisconnectEvery > 0 && i % settings.DisconnectEvery == 0;
            using var leave = CancellationTokenSource.CreateLinkedTokenSource(ct);
            long sent = timeProvider.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{conversations[i]}/messages") { Content = JsonContent.Create(new { text = $"session {i}" }) };
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(leave.Token));
                while (await reader.ReadLineAsync(leave.Token) is { } line)
                {
                    if (line == "event: delta" && firstFrames[i] == TimeSpan.Zero)
                    {
                        firstFrames[i] = timeProvider.GetElapsedTime(sent);
                        if (leaves)
                        {
                            // Closing the tab: stop reading at once; disposing the unread response closes the connection.
                            await leave.CancelAsync();
                            break;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (leave.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // This session closed its tab mid-answer.
            }

            // Every turn ends on the server: wait (briefly) for its answer to be stored, whether finished or stopped.
            for (int attempt = 0; ; attempt++)
            {
                JsonElement detail = await http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversations[i]}", ct);
                JsonElement messages = detail.GetProperty("messages");
                if (messages.GetArrayLength() == 2)
                {
                    // A session that left may still find its answer complete when the server finished first.
                    string outcome = messages[1].GetProperty("outcome").GetString() ?? "";
                    if (outcome != "ok" && !(leaves && outcome == "cancelled"))
                    {
                        throw new InvalidOperationException($"Session {i} ended with '{outcome}', expected '{(leaves ? "cancelled' or 'ok" : "ok")}'.");
                    }

                    if (outcome == "cancelled")
                    {
                        Interlocked.Increment(ref cancelled);
                    }

                    break;
                }

                if (attempt == 500)
                {
                    throw new TimeoutException($"Session {i}'s turn did not end within 10 s of the client leaving: a request is still running.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider, ct);
            }
        });

        TimeSpan elapsed = timeProvider.GetElapsedTime(start);
        for (int wait = 0; emulator.InFlight > 0 && wait < 500; wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider, cancellationToken);
        }

        long requests = emulator.Accounting.Get(emulator.ApiKey, Model).Requests - requestsBefore;
        long records = await CountRecordsAsync(ledger, cancellationToken) - recordsBefore;
        return new WebLoadRound(
            Round: 0,
            Sessions: sessions,
            Disconnected: settings.DisconnectEvery > 0 ? (sessions + settings.DisconnectEvery - 1) / settings.DisconnectEvery : 0,
            Cancelled: cancelled,
            Seconds: elapsed.TotalSeconds,
            UpstreamRequests: requests,
            UsageRecords: records,
            InFlightAfter: emulator.InFlight,
            FirstDeltaMs: Percentiles.Of(firstFrames.Where(static t => t > TimeSpan.Zero)),
            After: ProcessSnapshot.Take());
    }

    private static async Task<long> CountRecordsAsync(IUsageLedger ledger, CancellationToken cancellationToken)
        => (await ledger.SummarizeAsync(UsageGrouping.None, cancellationToken: cancellationToken)).Sum(static u => u.Requests);
}

/// <summary>The settings of a <c>bench web</c> run.</summary>
internal sealed record WebLoadSettings(int Sessions, int Rounds, int DisconnectEvery, int AnswerWords, TimeSpan TimeToFirstToken, double TokensPerSecond, int WarmupSessions, TimeSpan Settle);

/// <summary>A <c>bench web</c> run: the process after warm-up, then each round.</summary>
internal sealed record WebLoadReport(WebLoadSettings Settings, ProcessSnapshot Baseline, IReadOnlyList<WebLoadRound> Rounds, ProcessSnapshot Settled)
{
    /// <summary>Gets the managed heap after the run, idle, minus after warm-up, in MB (both after a full collection).</summary>
    public double HeapGrowthMb => Settled.ManagedHeapMb - Baseline.ManagedHeapMb;

    /// <summary>Gets the open file descriptors after the run, idle, minus after warm-up.</summary>
    public int DescriptorGrowth => Settled.OpenDescriptors - Baseline.OpenDescriptors;

    /// <summary>Gets the threads after the run, idle, minus after warm-up.</summary>
    public int ThreadGrowth => Settled.Threads - Baseline.Threads;

    /// <summary>Gets whether every request of every round ended with its usage record and nothing is left running.</summary>
    public bool AllEnded => Rounds.All(static r => r.UpstreamRequests == r.Sessions && r.UsageRecords == r.Sessions && r.InFlightAfter == 0);
}

/// <summary>One round of sessions.</summary>
internal sealed record WebLoadRound(int Round, int Sessions, int Disconnected, int Cancelled, double Seconds, long UpstreamRequests, long UsageRecords, int InFlightAfter, LatencyPercentiles? FirstDeltaMs, ProcessSnapshot After);

/// <summary>The process after a full, compacting collection.</summary>
internal sealed record ProcessSnapshot(double ManagedHeapMb, double WorkingSetMb, int OpenDescriptors, int Threads)
{
    public static ProcessSnapshot Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using Process process = Process.GetCurrentProcess();
        int descriptors = Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : process.HandleCount;
        return new ProcessSnapshot(GC.GetTotalMemory(forceFullCollection: false) / 1048576.0, process.WorkingSet64 / 1048576.0, descriptors, process.Threads.Count);
    }
}
