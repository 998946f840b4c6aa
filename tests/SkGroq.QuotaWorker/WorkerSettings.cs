using System.Globalization;

namespace SkGroq.QuotaWorker;

/// <summary>The command line of one worker: where Groq (the emulator) and Redis are, and the load to send.</summary>
internal sealed record WorkerSettings
{
    public required string BaseUrl { get; init; }

    public required string ApiKey { get; init; }

    public string? Redis { get; init; }

    public string KeyPrefix { get; init; } = "skgroq";

    public int Instances { get; init; } = 1;

    public TimeSpan RejoinPeriod { get; init; } = TimeSpan.FromSeconds(10);

    public string Model { get; init; } = "llama-3.1-8b-instant";

    public long? RequestsPerMinute { get; init; }

    public long? TokensPerMinute { get; init; }

    public int Concurrency { get; init; } = 8;

    public int MaxTokens { get; init; } = 64;

    public string Name { get; init; } = "worker";

    public static WorkerSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option (--name value) at '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new WorkerSettings
        {
            BaseUrl = Required("base-url"),
            ApiKey = Required("api-key"),
            Redis = values.GetValueOrDefault("redis"),
            KeyPrefix = values.GetValueOrDefault("prefix") ?? "skgroq",
            Instances = Int("instances") ?? 1,
            RejoinPeriod = TimeSpan.FromMilliseconds(Int("rejoin-ms") ?? 10_000),
            Model = values.GetValueOrDefault("model") ?? "llama-3.1-8b-instant",
            RequestsPerMinute = Int("rpm"),
            TokensPerMinute = Int("tpm"),
            Concurrency = Int("concurrency") ?? 8,
            MaxTokens = Int("max-tokens") ?? 64,
            Name = values.GetValueOrDefault("name") ?? "worker",
        };

        string Required(string name) => values.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"--{name} is required.");

        int? Int(string name) => values.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : null;
    }
}
