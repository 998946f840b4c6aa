using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Emulator;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Faults;
using SkGroq.Models;
using SkGroq.Usage;

namespace SkGroq.Console.Chaos;

/// <summary>
/// The chaos soak: thousands of chat completions (streaming and not) through Semantic Kernel and the full SkGroq pipeline
/// against an in-process emulator that faults a share of the attempts; checks that every request ends — answer or typed
/// <c>GroqException</c> — within its bound, that nothing hangs or goes unobserved, and that the usage ledger equals the
/// emulator's accounting.
/// </summary>
/// <remarks>
/// The run owns its emulator and its pipeline (short timeouts, fast retries, a fallback model, rate limits far above the load
/// so the limiter admits everything yet reserves, settles and releases every attempt, the response cache on, the ledger in a
/// temporary SQLite file): it measures the guarantees, not the user's configuration. Time is real: the timeouts are short so
/// thousands of requests take minutes.
/// </remarks>
internal sealed partial class ChaosRunner(TimeProvider timeProvider)
{
    private static readonly ModelLimits s_unbounded = new(1_000_000, 100_000_000, 1_000_000_000, 100_000_000_000);

    private int _completed;
    private int _failed;
    private int _violations;

    /// <summary>Gets or sets the receiver of progress reports; called on the request's own flow, so it must be quick.</summary>
    public IProgress<ChaosProgress>? Progress { get; init; }

    /// <summary>Runs the soak.</summary>
    /// <param name="settings">What to send.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The report.</returns>
    public async Task<ChaosReport> RunAsync(ChaosSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Requests);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Concurrency);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.FaultRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.FaultRate, 1);

        string database = Path.Combine(Path.GetTempPath(), $"skgroq-chaos-{Guid.NewGuid():N}.db");
        using var unobserved = new UnobservedExceptionCounter();
        GroqEmulator emulator = await GroqEmulator.StartAsync(EmulatorOptions(settings), cancellationToken).ConfigureAwait(false);
        ChaosResult[] results;
        ChaosLedgerCheck ledger;
        TimeSpan elapsed;
        try
        {
            ServiceProvider services = Pipeline(settings, emulator, database);
            try
            {
                IChatCompletionService chat = services.GetRequiredService<IChatCompletionService>();
                long start = timeProvider.GetTimestamp();
                results = await SendAllAsync(chat, settings, cancellationToken).ConfigureAwait(false);
                elapsed = timeProvider.GetElapsedTime(start);
                IUsageLedger usage = services.GetRequiredService<IUsageLedger>();
                await usage.FlushAsync(cancellationToken).ConfigureAwait(false);
                IReadOnlyList<UsageRecord> records = await usage.QueryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                ledger = LedgerSide(records, usage.DroppedRecords);
            }
            finally
            {
                await services.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Stopping the emulator waits for its handlers, so every attempt is in its accounting before it is read.
            await emulator.DisposeAsync().ConfigureAwait(false);
            DeleteDatabase(database);
        }

        EmulatorUsage billed = emulator.Accounting.Totals();
        ledger = ledger with
        {
            EmulatorAttempts = billed.Requests,
            EmulatorAnswers = billed.Succeeded,
            EmulatorPromptTokens = billed.PromptTokens,
            EmulatorCompletionTokens = billed.CompletionTokens,
        };
        UnobservedExceptionCounter.Collect();
        return Report(settings, results, elapsed, emulator.Accounting.FaultsSent, ledger, unobserved);
    }

    private static GroqEmulatorOptions EmulatorOptions(ChaosSettings settings)
    {
        var options = new GroqEmulatorOptions
        {
            TimeToFirstToken = TimeSpan.Zero,
            TokensPerSecond = 0,
            Seed = settings.Seed,
        };
        options.Limits[settings.Model] = s_unbounded;
        options.Limits[settings.Fallback] = s_unbounded;
        foreach (EmulatorFaultRule rule in ChaosFaultMix.CreateRules(settings))
        {
            options.Faults.Add(rule);
        }

        return options;
    }

    private static ServiceProvider Pipeline(ChaosSettings settings, GroqEmulator emulator, string database)
    {
        var services = new ServiceCollection();

        // Nothing of the user's configuration applies: the run measures the guarantees under fixed settings.
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = emulator.ApiKey;
            o.BaseUrl = emulator.BaseUrl.AbsoluteUri;
            o.Model = settings.Model;
            o.RequestTimeout = settings.Deadline;
            o.Inspection.FirstByteTimeout = settings.FirstByteTimeout;
            o.Inspection.StreamIdleTimeout = settings.StreamIdleTimeout;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(20);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(200);
            o.Fallbacks[settings.Model] = [settings.Fallback];
            foreach (string model in (string[])[settings.Model, settings.Fallback])
            {
                o.Models[model] = new ModelOverride
                {
                    RequestsPerMinute = s_unbounded.RequestsPerMinute,
                    RequestsPerDay = s_unbounded.RequestsPerDay,
                    TokensPerMinute = s_unbounded.TokensPerMinute,
                    TokensPerDay = s_unbounded.TokensPerDay,
                };
            }

            o.Usage.Persist = true;
            o.Usage.DatabasePath = database;
            o.Usage.WriteQueueCapacity = Math.Max(o.Usage.WriteQueueCapacity, settings.Requests);
        });
        return services.BuildServiceProvider();
    }

    private static ChaosLedgerCheck LedgerSide(IReadOnlyList<UsageRecord> records, long dropped)
    {
        long attempts = 0, answers = 0, prompt = 0, completion = 0, hits = 0, stale = 0, fellBack = 0;
        foreach (UsageRecord record in records)
        {
            attempts += record.Attempts;
            prompt += record.BilledPromptTokens;
            completion += record.BilledCompletionTokens;
            hits += record.CacheHit ? 1 : 0;
            stale += record.Stale ? 1 : 0;
            fellBack += record.FallbackReason is null ? 0 : 1;
            answers += record is { CacheHit: false, Outcome: UsageOutcome.Ok } ? 1 : 0;
        }

        return new ChaosLedgerCheck(records.Count, dropped, hits, stale, fellBack, attempts, 0, answers, 0, prompt, 0, completion, 0);
    }

    private static void DeleteDatabase(string database)
    {
        foreach (string file in (string[])[database, database + "-wal", database + "-shm"])
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temporary file left behind is harmless; the run's verdict does not depend on it.
            }
        }
    }
}
