using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Caching;
using SkGroq.Emulator;
using SkGroq.Emulator.Faults;
using SkGroq.Tests.Caching;
using SkGroq.Tests.Console;
using SkGroq.Tests.Integration;
using SkGroq.Usage;

namespace SkGroq.Tests.Reliability;

/// <summary>
/// A whole session with a recognisable API key — answers, cache hits, streams, retries, faults, refusals and a rejected key —
/// then every place a key could leak is scanned for it: logs at every level (client and emulator), exception messages and
/// traces, the SQLite usage ledger's bytes, the response cache's keys and entries, and the console's output.
/// </summary>
public sealed class SecretsTests
{
    private const string Key = "gsk_RELIABILITYsecret7Qx9Lm2Vp4Zt8Rw1Kd6";
    private const string WrongKey = "gsk_WRONGsecret3Hj5Nb8Xc2Vf6Tg9Ym4Pq1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Session_KeyAppearsNowhere_LogsExceptionsLedgerCacheKeys()
    {
        var logs = new CapturingLoggerProvider();
        RecordingDistributedCache? cache = null;
        string database = Path.Combine(Path.GetTempPath(), $"skgroq-secrets-{Guid.NewGuid():N}.db");
        var errors = new List<Exception>();
        try
        {
            await using (PipelineHost host = await PipelineHost.StartAsync(
                emulator: o =>
                {
                    o.ApiKeys.Add(Key);
                    o.LoggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
                },
                groq: o =>
                {
                    o.Usage.Persist = true;
                    o.Usage.DatabasePath = database;
                    o.Cache.Store = ResponseCacheStoreKind.Distributed;
                    o.Resilience.BaseDelay = TimeSpan.Zero;
                },
                services: s =>
                {
                    s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
                    s.AddSingleton<IDistributedCache>(_ => cache = new RecordingDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))));
                }))
            {
                Assert.Equal(Key, host.Emulator.ApiKey);
                var cached = new OpenAIPromptExecutionSettings { Temperature = 0, MaxTokens = 40 };
                await host.Chat.GetChatMessageContentAsync(History("What is the capital of France?"), cached, cancellationToken: Ct);
                await host.Chat.GetChatMessageContentAsync(History("What is the capital of France?"), cached, cancellationToken: Ct);
                await StreamAsync(host, "Tell me a story.", cached);
                host.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable));
                await host.Chat.GetChatMessageContentAsync(History("Retried once."), cancellationToken: Ct);

                host.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.InternalServerError), times: 3);
                errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => host.Chat.GetChatMessageContentAsync(History("Fails three times."), cancellationToken: Ct)));
                host.Emulator.Faults.Next(EmulatorFault.Parse("error-event;after=2;status=503"));
                errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => StreamAsync(host, "Cut mid-stream.")));
                host.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.HtmlErrorPage), times: 3);
                errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => host.Chat.GetChatMessageContentAsync(History("HTML."), cancellationToken: Ct)));
                errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => host.Chat.GetChatMessageContentAsync(History("Hi"), new OpenAIPromptExecutionSettings { ModelId = "llama-9-nonexistent" }, cancellationToken: Ct)));
                errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => host.Chat.GetChatMessageContentAsync(History(string.Concat(Enumerable.Repeat("hello world ", 70_000))), cancellationToken: Ct)));
                errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => host.Chat.GetChatMessageContentAsync(History(" "), cancellationToken: Ct)));

                await using (PipelineHost wrong = await PipelineHost.StartAsync(groq: o => o.ApiKey = WrongKey, services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))))
                {
                    errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => wrong.Chat.GetChatMessageContentAsync(History("Hi"), cancellationToken: Ct)));
                }

                IUsageLedger ledger = host.Services.GetRequiredService<IUsageLedger>();
                await ledger.FlushAsync(Ct);
                IReadOnlyList<UsageRecord> records = await ledger.QueryAsync(cancellationToken: Ct);
                Assert.Equal(9, records.Count); // the blank prompt was refused before the pipeline: no record
                Assert.Contains(records, r => r.CacheHit);
                AssertNoSecret("usage record", string.Join("\n", records));
            }

            Assert.Equal(7, errors.Count);
            AssertNoSecret("exception", string.Join("\n", errors.Select(e => e.ToString())));
            Assert.NotEmpty(logs.Entries);
            AssertNoSecret("log", string.Join("\n", logs.Entries));
            Assert.NotNull(cache);
            Assert.NotEmpty(cache.Written);
            foreach ((string key, byte[] value) in cache.Written)
            {
                AssertNoSecret("cache key", key);
                AssertNoSecret("cache entry", Encoding.UTF8.GetString(value));
            }

            // The ledger's file as written (the host disposed: everything flushed), not only what reads back.
            string file = string.Concat(new[] { database, database + "-wal" }.Where(File.Exists).Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
            Assert.Contains("llama-3.1-8b-instant", file, StringComparison.Ordinal);
            AssertNoSecret("SQLite ledger", file);
        }
        finally
        {
            SqliteCleanup(database);
        }
    }

    [Fact]
    public async Task Console_KeyAppearsNowhere_InOutputOrErrors_EvenVerbose()
    {
        await using GroqEmulator groq = await GroqEmulator.StartAsync(new GroqEmulatorOptions { ApiKeys = { Key }, TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, Ct);
        var output = new StringBuilder();
        foreach (string[] args in new[]
        {
            new[] { "test-connection", "--verbose" },
            ["test-connection", "--json"],
            ["test-stream", "--prompt", "Hello, how are you?", "--verbose"],
            ["test-stream", "--prompt", "Hello", "--model", "llama-9-nonexistent", "--verbose"],
            ["usage", "--verbose"],
        })
        {
            ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(groq, Key), null, args);
            output.Append(result.Stdout).Append(result.Stderr);
        }

        ConsoleResult rejected = await ConsoleRunner.RunAsync(ConsoleRunner.For(groq, WrongKey), null, "test-stream", "--prompt", "Hello", "--verbose");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("GROQ_API_KEY", rejected.Stdout + rejected.Stderr, StringComparison.Ordinal);
        output.Append(rejected.Stdout).Append(rejected.Stderr);

        Assert.Contains("llama-3.1-8b-instant", output.ToString(), StringComparison.Ordinal);
        AssertNoSecret("console output", output.ToString());
    }

    private static void AssertNoSecret(string where, string text)
    {
        foreach (string key in (string[])[Key, WrongKey])
        {
            // The whole key, the secret after the prefix, and any 12 characters of it that a redaction never shows.
            foreach (string secret in (string[])[key, key["gsk_".Length..], key[6..18], key[^16..^4]])
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The API key (or '{secret}') appears in a {where}: {Excerpt(text, secret)}");
            }
        }
    }

    private static string Excerpt(string text, string secret)
    {
        int at = text.IndexOf(secret, StringComparison.Ordinal);
        return text.Substring(Math.Max(0, at - 120), Math.Min(text.Length - Math.Max(0, at - 120), 240 + secret.Length));
    }

    private static ChatHistory History(string prompt)
    {
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        return history;
    }

    private static async Task StreamAsync(PipelineHost host, string prompt, OpenAIPromptExecutionSettings? settings = null)
    {
        await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(History(prompt), settings, cancellationToken: Ct))
        {
            _ = update.Content;
        }
    }

    private static void SqliteCleanup(string database)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in (string[])[database, database + "-wal", database + "-shm"])
        {
            File.Delete(file);
        }
    }
}
