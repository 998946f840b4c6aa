using System.Text.Json;

namespace SkGroq.Usage;

/// <summary>Reads Groq's <c>usage</c> object (docs/GROQ-API.md §3) into a <see cref="GroqUsage"/>.</summary>
internal static class GroqUsageJson
{
    // A request's times are seconds to minutes; one past a day is garbled, and is left out like a missing one (the tokens stay).
    private static readonly double s_longestSeconds = TimeSpan.FromDays(1).TotalSeconds;

    /// <summary>Reads a usage object; the reader must be on its <see cref="JsonTokenType.StartObject"/> and is left on its end.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The usage; <see langword="null"/> when the object has no token counts (e.g. <c>x_groq.usage</c>'s cache statistics only).</returns>
    public static GroqUsage? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? prompt = null;
        long? completion = null;
        long? total = null;
        long cached = 0;
        long reasoning = 0;
        TimeSpan? queueTime = null;
        TimeSpan? promptTime = null;
        TimeSpan? completionTime = null;
        TimeSpan? totalTime = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("queue_time"u8))
            {
                queueTime = ReadSeconds(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_time"u8))
            {
                promptTime = ReadSeconds(ref reader);
            }
            else if (reader.ValueTextEquals("completion_time"u8))
            {
                completionTime = ReadSeconds(ref reader);
            }
            else if (reader.ValueTextEquals("total_time"u8))
            {
                totalTime = ReadSeconds(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadDetail(ref reader, "cached_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = ReadDetail(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (prompt is null && completion is null)
        {
            return null;
        }

        long p = prompt ?? 0;
        long c = completion ?? 0;
        return new GroqUsage(p, c, total ?? (p + c))
        {
            CachedTokens = cached,
            ReasoningTokens = reasoning,
            QueueTime = queueTime,
            PromptTime = promptTime,
            CompletionTime = completionTime,
            TotalTime = totalTime,
        };
    }

    private static long? ReadInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : null;
    }

    private static TimeSpan? ReadSeconds(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double seconds) && seconds >= 0 && seconds <= s_longestSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static long ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        long value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long n))
            {
                value = n;
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }
}
