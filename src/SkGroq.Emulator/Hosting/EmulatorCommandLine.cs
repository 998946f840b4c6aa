using System.Globalization;
using System.Text.Json;
using SkGroq.Emulator.Faults;
using SkGroq.Models;

namespace SkGroq.Emulator.Hosting;

/// <summary>Standalone settings: an optional <c>emulator.json</c>, then command-line options (which win).</summary>
internal static class EmulatorCommandLine
{
    public const string Usage = """
        Groq emulator: a local Groq API (OpenAI-compatible) with Groq's wire format, rate limits, pacing and fault injection.

        Usage: dotnet run --project src/SkGroq.Emulator -- [options]

          --port N                    TCP port (default 8765; 0 picks a free one)
          --host ADDRESS              listen address (default 127.0.0.1)
          --keys K1,K2                accepted API keys, each its own organization (repeatable; default: one fixed key)
          --tier free|developer       plan whose default limits apply (default free)
          --limits MODEL:rpm=N,rpd=N,tpm=N,tpd=N
                                      override a model's limits (repeatable)
          --no-rate-limits            compute headers but never answer 429/413
          --ttft-ms N                 time to first token in ms (default 100)
          --tokens-per-second N       generation speed (default 500; 0 = no pacing)
          --seed N                    seed of generated text and probabilistic faults (default 0)
          --region XYZ                x-groq-region value (default emu)
          --fault RULE                a fault rule, e.g. 503;probability=0.1 or stall;after=3;ms=5000;model=M (repeatable)
          --reject-stream-options     2024 behaviour: 400 on stream_options
          --finish-chunk-usage-only   2024 behaviour: usage only in x_groq.usage of the finish chunk
          --charge-incomplete         charge the tokens of streams that end early
          --omitted-max-tokens-reservation N
                                      completion tokens reserved when max_tokens is absent (default 0)
          --lenient                   accept unknown request properties
          --log-level LEVEL           console log: none (default), information (faults), debug (every request)
          --config FILE               read these settings from a JSON file (default: emulator.json if present)
          --help                      this text

        Per-request faults: send the header "x-emulator-fault: 503" (or 500, 502, 498, 429, 403, 422, reset, html, slow-ttft,
        stall, error-event, error-data, x-groq-error, disconnect; parameters ;after=N ;ms=N ;status=N).
        Control API: GET/POST/DELETE /_emulator/faults, /_emulator/script, GET /_emulator/accounting, POST /_emulator/reset.
        """;

    public const int DefaultPort = 8765;

    /// <summary>Parses the arguments; returns an error message, or <see langword="null"/>.</summary>
    public static string? TryParse(IReadOnlyList<string> args, out GroqEmulatorOptions options, out bool help)
    {
        var result = new GroqEmulatorOptions { Port = DefaultPort };
        bool wantsHelp = false;
        options = result;
        help = false;
        string? configPath = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Count)
            {
                configPath = args[i + 1];
            }
        }

        if (configPath is null && File.Exists("emulator.json"))
        {
            configPath = "emulator.json";
        }

        if (configPath is not null)
        {
            string? fileError = ApplyFile(configPath, result);
            if (fileError is not null)
            {
                return fileError;
            }
        }

        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string? value = i + 1 < args.Count ? args[i + 1] : null;
            string? error = name switch
            {
                "--help" or "-h" or "-?" => Flag(() => wantsHelp = true),
                "--no-rate-limits" => Flag(() => result.EnforceRateLimits = false),
                "--reject-stream-options" => Flag(() => result.Behavior.AcceptStreamOptions = false),
                "--finish-chunk-usage-only" => Flag(() => result.Behavior.UsageOnFinishChunk = false),
                "--charge-incomplete" => Flag(() => result.Behavior.ChargeIncompleteStreams = true),
                "--lenient" => Flag(() => result.Behavior.RejectUnknownProperties = false),
                _ when value is null && name.StartsWith("--", StringComparison.Ordinal) => $"{name} needs a value. Run with --help.",
                "--config" => null,
                "--port" => Int(value!, 0, 65535, v => result.Port = v, name),
                "--host" => Set(() => result.Host = value!),
                "--keys" => Set(() => AddKeys(result, value!)),
                "--tier" => Enum.TryParse(value, ignoreCase: true, out GroqTier tier) ? Set(() => result.Tier = tier) : $"--tier must be free or developer, not '{value}'.",
                "--limits" => ParseLimits(value!, result),
                "--ttft-ms" => Int(value!, 0, int.MaxValue, v => result.TimeToFirstToken = TimeSpan.FromMilliseconds(v), name),
                "--tokens-per-second" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double tps) && tps >= 0
                    ? Set(() => result.TokensPerSecond = tps)
                    : $"--tokens-per-second must be a number ≥ 0, not '{value}'.",
                "--seed" => Int(value!, int.MinValue, int.MaxValue, v => result.Seed = v, name),
                "--region" => Set(() => result.Region = value!),
                "--fault" => ParseFault(value!, result),
                "--log-level" => ParseLogLevel(value!, result),
                "--omitted-max-tokens-reservation" => Int(value!, 0, int.MaxValue, v => result.Behavior.OmittedMaxTokensReservation = v, name),
                _ => $"Unknown option '{name}'. Run with --help.",
            };

            if (error is not null)
            {
                return error;
            }

            if (name.StartsWith("--", StringComparison.Ordinal) && !IsFlag(name))
            {
                i++;
            }
        }

        help = wantsHelp;
        return null;
    }

    private static bool IsFlag(string name) => name is "--help" or "-h" or "-?" or "--no-rate-limits" or "--reject-stream-options"
        or "--finish-chunk-usage-only" or "--charge-incomplete" or "--lenient";

    private static string? ApplyFile(string path, GroqEmulatorOptions options)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var args = new List<string>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                string name = "--" + property.Name;
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.True:
                        args.Add(name);
                        break;
                    case JsonValueKind.False or JsonValueKind.Null:
                        break;
                    case JsonValueKind.Array:
                        foreach (JsonElement item in property.Value.EnumerateArray())
                        {
                            args.Add(name);
                            args.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
                        }

                        break;
                    default:
                        args.Add(name);
                        args.Add(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
                        break;
                }
            }

            string? error = TryParse(args, out GroqEmulatorOptions fromFile, out _);
            if (error is not null)
            {
                return $"{path}: {error} (keys are the option names without '--', e.g. {{\"port\": 8765, \"keys\": [\"gsk_a\"], \"fault\": [\"503;probability=0.1\"]}})";
            }

            Copy(fromFile, options);
            return null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return $"Cannot read {path}: {ex.Message}";
        }
    }

    private static void Copy(GroqEmulatorOptions from, GroqEmulatorOptions to)
    {
        to.Port = from.Port;
        to.Host = from.Host;
        to.Tier = from.Tier;
        to.EnforceRateLimits = from.EnforceRateLimits;
        to.TimeToFirstToken = from.TimeToFirstToken;
        to.TokensPerSecond = from.TokensPerSecond;
        to.Seed = from.Seed;
        to.LoggerFactory = from.LoggerFactory;
        to.Region = from.Region;
        foreach (string key in from.ApiKeys)
        {
            to.ApiKeys.Add(key);
        }

        foreach ((string model, ModelLimits limits) in from.Limits)
        {
            to.Limits[model] = limits;
        }

        foreach (EmulatorFaultRule rule in from.Faults)
        {
            to.Faults.Add(rule);
        }

        to.Behavior.AcceptStreamOptions = from.Behavior.AcceptStreamOptions;
        to.Behavior.UsageOnFinishChunk = from.Behavior.UsageOnFinishChunk;
        to.Behavior.ChargeIncompleteStreams = from.Behavior.ChargeIncompleteStreams;
        to.Behavior.RejectUnknownProperties = from.Behavior.RejectUnknownProperties;
        to.Behavior.OmittedMaxTokensReservation = from.Behavior.OmittedMaxTokensReservation;
    }

    private static void AddKeys(GroqEmulatorOptions options, string value)
    {
        foreach (string key in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            options.ApiKeys.Add(key);
        }
    }

    private static string? ParseLimits(string value, GroqEmulatorOptions options)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0)
        {
            return $"--limits '{value}' must look like MODEL:rpm=30,rpd=1000,tpm=6000,tpd=500000.";
        }

        string model = value[..colon];
        var limits = new ModelLimits(null, null, null, null);
        foreach (string pair in value[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number < 1)
            {
                return $"--limits '{pair}' must be name=positive integer (rpm, rpd, tpm, tpd).";
            }

            switch (parts[0].ToLowerInvariant())
            {
                case "rpm": limits = limits with { RequestsPerMinute = number }; break;
                case "rpd": limits = limits with { RequestsPerDay = number }; break;
                case "tpm": limits = limits with { TokensPerMinute = number }; break;
                case "tpd": limits = limits with { TokensPerDay = number }; break;
                default: return $"--limits: unknown limit '{parts[0]}'; use rpm, rpd, tpm or tpd.";
            }
        }

        options.Limits[model] = options.Limits.TryGetValue(model, out ModelLimits existing) ? existing.With(limits) : limits;
        return null;
    }

    private static string? ParseLogLevel(string value, GroqEmulatorOptions options)
    {
        if (!Enum.TryParse(value, ignoreCase: true, out LogLevel level) || !Enum.IsDefined(level))
        {
            return $"--log-level must be none, information or debug, not '{value}'.";
        }

        options.LoggerFactory?.Dispose();
        options.LoggerFactory = level == LogLevel.None ? null : LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level));
        return null;
    }

    private static string? ParseFault(string value, GroqEmulatorOptions options)
    {
        try
        {
            options.Faults.Add(EmulatorFaultRule.Parse(value));
            return null;
        }
        catch (FormatException ex)
        {
            return $"--fault: {ex.Message}";
        }
    }

    private static string? Int(string value, int min, int max, Action<int> set, string name)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
        {
            return $"{name} must be an integer between {min} and {max}, not '{value}'.";
        }

        set(number);
        return null;
    }

    private static string? Flag(Action set)
    {
        set();
        return null;
    }

    private static string? Set(Action set)
    {
        set();
        return null;
    }
}
