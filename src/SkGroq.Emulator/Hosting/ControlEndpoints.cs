using System.Text;
using System.Text.Json;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Hosting;

/// <summary>
/// The out-of-process control API under <c>/_emulator</c> (no key needed; the emulator listens on loopback):
/// accounting, fault rules, scripted replies, resets.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        RouteGroupBuilder group = routes.MapGroup(GroqEmulatorDefaults.ControlPrefix);
        group.MapGet("/health", (HttpContext c) => WriteAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("status"u8, "ok"u8);
            w.WriteEndObject();
        }));
        group.MapGet("/stats", (HttpContext c) => WriteAsync(c, 200, w =>
        {
            // Process counters for load tests: bytes allocated per request = delta of allocated_bytes / delta of requests_received.
            w.WriteStartObject();
            w.WriteNumber("requests_received"u8, state.Accounting.RequestsReceived);
            w.WriteNumber("allocated_bytes"u8, GC.GetTotalAllocatedBytes());
            w.WriteNumber("gen0_collections"u8, GC.CollectionCount(0));
            w.WriteNumber("gen1_collections"u8, GC.CollectionCount(1));
            w.WriteNumber("gen2_collections"u8, GC.CollectionCount(2));
            w.WriteNumber("working_set_bytes"u8, Environment.WorkingSet);
            w.WriteNumber("thread_pool_threads"u8, ThreadPool.ThreadCount);
            w.WriteEndObject();
        }));
        group.MapGet("/accounting", (HttpContext c) => WriteAsync(c, 200, w => WriteAccounting(w, state.Accounting)));
        group.MapPost("/accounting/reset", (HttpContext c) =>
        {
            state.Accounting.Reset();
            return WriteAsync(c, 200, w => WriteAccounting(w, state.Accounting));
        });
        group.MapPost("/limits/reset", (HttpContext c) =>
        {
            state.Limiter.Reset();
            return NoContent(c);
        });
        group.MapPost("/reset", (HttpContext c) =>
        {
            state.Limiter.Reset();
            state.Accounting.Reset();
            state.Faults.Clear();
            state.Script.Clear();
            return NoContent(c);
        });
        group.MapGet("/faults", (HttpContext c) => WriteAsync(c, 200, w => WriteFaults(w, state.Faults)));
        group.MapPost("/faults", async (HttpContext c) =>
        {
            string text = await ReadRuleTextAsync(c.Request).ConfigureAwait(false);
            EmulatorFaultRule rule;
            try
            {
                rule = state.Faults.Add(EmulatorFaultRule.Parse(text));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                await WriteAsync(c, 400, w => WriteProblem(w, ex.Message)).ConfigureAwait(false);
                return;
            }

            await WriteAsync(c, 201, w => WriteRule(w, rule)).ConfigureAwait(false);
        });
        group.MapDelete("/faults", (HttpContext c) =>
        {
            state.Faults.Clear();
            return NoContent(c);
        });
        group.MapDelete("/faults/{id:long}", (HttpContext c, long id) => state.Faults.Remove(id) ? NoContent(c) : NotFound(c, $"No fault rule {id}."));
        group.MapGet("/script", (HttpContext c) => WriteAsync(c, 200, w => WriteScript(w, state.Script)));
        group.MapPost("/script", async (HttpContext c) =>
        {
            ScriptRule? rule = null;
            string? problem;
            try
            {
                using JsonDocument document = await JsonDocument.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
                problem = TryAddScript(document.RootElement, state.Script, out rule);
            }
            catch (JsonException ex)
            {
                problem = $"The body is not JSON: {ex.Message}";
            }

            if (problem is not null || rule is null)
            {
                await WriteAsync(c, 400, w => WriteProblem(w, problem ?? "Invalid script rule.")).ConfigureAwait(false);
                return;
            }

            await WriteAsync(c, 201, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("id"u8, rule.Id);
                w.WriteString("matches"u8, rule.Description);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        });
        group.MapDelete("/script", (HttpContext c) =>
        {
            state.Script.Clear();
            return NoContent(c);
        });
        group.MapDelete("/script/{id:long}", (HttpContext c, long id) => state.Script.Remove(id) ? NoContent(c) : NotFound(c, $"No script rule {id}."));
    }

    /// <summary><c>{"contains": "text" (optional), "reply": "text", "tool_calls": [{"name", "arguments"}], "times": N}</c>.</summary>
    private static string? TryAddScript(JsonElement root, EmulatorScript script, out ScriptRule? rule)
    {
        rule = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Expected {\"contains\": \"…\", \"reply\": \"…\"} or {\"tool_calls\": [{\"name\": \"…\", \"arguments\": \"{…}\"}]}.";
        }

        string? contains = root.TryGetProperty("contains"u8, out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        string? text = root.TryGetProperty("reply"u8, out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        int? times = root.TryGetProperty("times"u8, out JsonElement t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out int n) && n > 0 ? n : null;
        var calls = new List<ScriptedToolCall>();
        if (root.TryGetProperty("tool_calls"u8, out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement call in list.EnumerateArray())
            {
                if (!call.TryGetProperty("name"u8, out JsonElement name) || name.ValueKind != JsonValueKind.String)
                {
                    return "Every tool call needs a \"name\".";
                }

                string arguments = call.TryGetProperty("arguments"u8, out JsonElement a)
                    ? (a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText())
                    : "{}";
                calls.Add(new ScriptedToolCall(name.GetString()!, arguments));
            }
        }

        if (text is null && calls.Count == 0)
        {
            return "A script rule needs \"reply\" (text) or \"tool_calls\".";
        }

        ScriptedReply reply = calls.Count > 0 ? ScriptedReply.WithToolCalls([.. calls]) : ScriptedReply.Text(text!);
        if (calls.Count > 0 && text is not null)
        {
            reply = reply.WithText(text);
        }

        rule = contains is null ? script.Always(reply, times) : script.WhenLastUserMessageContains(contains, reply, times);
        return null;
    }

    private static async Task<string> ReadRuleTextAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string text = (await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false)).Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(text);
                if (document.RootElement.TryGetProperty("rule"u8, out JsonElement rule) && rule.ValueKind == JsonValueKind.String)
                {
                    return rule.GetString()!;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: the text itself is parsed as a rule and reported.
            }
        }

        return text;
    }

    private static void WriteAccounting(Utf8JsonWriter w, EmulatorAccounting accounting)
    {
        w.WriteStartObject();
        w.WriteNumber("requests_received"u8, accounting.RequestsReceived);
        w.WriteNumber("unauthorized"u8, accounting.Unauthorized);
        w.WriteNumber("unknown_urls"u8, accounting.UnknownUrls);
        w.WriteStartObject("faults_sent"u8);
        foreach ((EmulatorFaultKind kind, long count) in accounting.FaultsSent)
        {
            w.WriteNumber(EmulatorFault.NameOf(kind), count);
        }

        w.WriteEndObject();
        w.WritePropertyName("totals"u8);
        WriteUsage(w, accounting.Totals());
        w.WriteStartArray("usage"u8);
        foreach (EmulatorUsage usage in accounting.Snapshot())
        {
            WriteUsage(w, usage);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, EmulatorUsage u)
    {
        w.WriteStartObject();
        w.WriteString("api_key"u8, u.ApiKey);
        w.WriteString("organization"u8, u.Organization);
        w.WriteString("model"u8, u.Model);
        w.WriteNumber("requests"u8, u.Requests);
        w.WriteNumber("succeeded"u8, u.Succeeded);
        w.WriteNumber("prompt_tokens"u8, u.PromptTokens);
        w.WriteNumber("completion_tokens"u8, u.CompletionTokens);
        w.WriteNumber("total_tokens"u8, u.TotalTokens);
        w.WriteNumber("rate_limited"u8, u.RateLimited);
        w.WriteNumber("too_large"u8, u.TooLarge);
        w.WriteNumber("faults"u8, u.Faults);
        w.WriteNumber("rejected"u8, u.Rejected);
        w.WriteNumber("incomplete"u8, u.Incomplete);
        w.WriteEndObject();
    }

    private static void WriteFaults(Utf8JsonWriter w, EmulatorFaults faults)
    {
        w.WriteStartObject();
        w.WriteStartArray("rules"u8);
        foreach (EmulatorFaultRule rule in faults.Rules)
        {
            WriteRule(w, rule);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, EmulatorFaultRule rule)
    {
        w.WriteStartObject();
        w.WriteNumber("id"u8, rule.Id);
        w.WriteString("rule"u8, rule.ToString());
        w.WriteNumber("fired"u8, rule.Fired);
        w.WriteEndObject();
    }

    private static void WriteScript(Utf8JsonWriter w, EmulatorScript script)
    {
        w.WriteStartObject();
        w.WriteStartArray("rules"u8);
        foreach (ScriptRule rule in script.Rules)
        {
            w.WriteStartObject();
            w.WriteNumber("id"u8, rule.Id);
            w.WriteString("matches"u8, rule.Description);
            w.WriteNumber("used"u8, rule.Used);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteProblem(Utf8JsonWriter w, string message)
    {
        w.WriteStartObject();
        w.WriteString("error"u8, message);
        w.WriteEndObject();
    }

    private static Task NoContent(HttpContext context)
    {
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static Task NotFound(HttpContext context, string message) => WriteAsync(context, 404, w => WriteProblem(w, message));

    private static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var body = new PooledBufferWriter(1024);
        Utf8JsonWriter writer = JsonWriting.Rent(body);
        write(writer);
        JsonWriting.Return(writer);
        context.Response.StatusCode = status;
        return Responses.WriteJsonAsync(context.Response, body, context.RequestAborted);
    }
}
