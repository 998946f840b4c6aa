using System.Runtime.InteropServices;
using System.Text.Json;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Chat;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.RateLimits;
using SkGroq.Emulator.Scripting;
using SkGroq.Emulator.Wire;
using SkGroq.Models;

namespace SkGroq.Emulator.Hosting;

/// <summary><c>POST /openai/v1/chat/completions</c>: auth, faults, validation, rate limits, then a JSON or SSE answer.</summary>
/// <remarks>Order of checks: method, key (401), JSON, fault, schema (400), model (404/400), max tokens (400), context window (400), limits (413/429).</remarks>
internal sealed partial class ChatCompletionsEndpoint(EmulatorState state)
{
    public async Task HandleAsync(HttpContext context)
    {
        state.EnterCall();
        try
        {
            await HandleCallAsync(context).ConfigureAwait(false);
        }
        finally
        {
            state.ExitCall();
        }
    }

    private async Task HandleCallAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        state.Accounting.Received();
        string requestId = Ids.RequestId(state.Time.GetUtcNow());
        Responses.SetCommonHeaders(response, requestId, state.Options.Region);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            state.Accounting.UnknownUrl();
            await Responses.WriteErrorAsync(response, ApiError.UnknownUrl(context.Request.Method, context.Request.Path.Value ?? "/"), aborted).ConfigureAwait(false);
            return;
        }

        if (!state.Keys.TryAuthenticate(context.Request.Headers.Authorization, out string? key, out OrganizationState? organization))
        {
            state.Accounting.Unauthorize();
            await Responses.WriteErrorAsync(response, ApiError.InvalidApiKey(), aborted).ConfigureAwait(false);
            return;
        }

        PooledBufferWriter body = await ReadBodyAsync(context.Request, aborted).ConfigureAwait(false);
        try
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body.WrittenMemory);
            }
            catch (JsonException ex)
            {
                await RefuseAsync(response, requestId, null, null, ApiError.BadRequest($"failed to parse request body: {ex.Message}"), aborted).ConfigureAwait(false);
                return;
            }

            using (document)
            {
                var call = new Call(context, requestId, key, organization, body);
                await HandleDocumentAsync(call, document).ConfigureAwait(false);
            }
        }
        finally
        {
            body.Dispose();
        }
    }

    private async Task HandleDocumentAsync(Call call, JsonDocument document)
    {
        HttpResponse response = call.Context.Response;
        CancellationToken aborted = call.Context.RequestAborted;
        string? modelId = ChatRequestParser.PeekModel(document);
        UsageCounters? counters = modelId is null ? null : state.Accounting.For(call.Key, call.Organization.Id, modelId);
        counters?.Request();

        string? faultHeader = call.Context.Request.Headers[GroqEmulatorDefaults.FaultHeader];
        EmulatorFault? fault = null;
        if (faultHeader is not null)
        {
            if (!EmulatorFault.TryParse(faultHeader, out fault, out string? faultError))
            {
                await RefuseAsync(response, call.RequestId, null, counters, ApiError.BadRequest($"{GroqEmulatorDefaults.FaultHeader}: {faultError}", code: "emulator_invalid_fault"), aborted).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            fault = state.Faults.Resolve(modelId);
        }

        ModelInfo? model = modelId is not null && state.Catalog.TryGet(modelId, out ModelInfo? known) && !known.Decommissioned ? known : null;
        if (fault is not null && !fault.IsMidStream && fault.Kind is not EmulatorFaultKind.SlowFirstToken)
        {
            await InjectBeforeHeadersAsync(call, fault, modelId, model, counters, document).ConfigureAwait(false);
            return;
        }

        ApiError? invalid = ChatRequestParser.Parse(document, state.Behavior, out ChatRequest? parsed);
        if (invalid is not null)
        {
            await RefuseAsync(response, call.RequestId, model is null ? null : state.Limiter.For(call.Organization, model), counters, invalid, aborted).ConfigureAwait(false);
            return;
        }

        ChatRequest request = parsed!;
        if (model is null)
        {
            bool decommissioned = state.Catalog.TryGet(request.Model, out ModelInfo? retired) && retired.Decommissioned;
            await RefuseAsync(response, call.RequestId, null, counters, decommissioned ? ApiError.ModelDecommissioned(request.Model) : ApiError.ModelNotFound(request.Model), aborted).ConfigureAwait(false);
            return;
        }

        ModelQuota quota = state.Limiter.For(call.Organization, model);
        if (request.MaxTokens is { } max && model.MaxCompletionTokens > 0 && max > model.MaxCompletionTokens)
        {
            await RefuseAsync(response, call.RequestId, quota, counters, ApiError.MaxTokensTooLarge(request.MaxTokensParam, model.MaxCompletionTokens), aborted).ConfigureAwait(false);
            return;
        }

        int promptTokens = state.Tokenizer.CountPromptTokens(model.Id, call.Body.WrittenSpan);
        if (model.ContextWindow > 0 && (long)promptTokens + (request.MaxTokens ?? 0) > model.ContextWindow)
        {
            await RefuseAsync(response, call.RequestId, quota, counters, ApiError.ContextLengthExceeded(), aborted).ConfigureAwait(false);
            return;
        }

        long reserved = promptTokens + (long)(request.MaxTokens ?? state.Behavior.OmittedMaxTokensReservation);
        Admission admission = quota.TryAdmit(reserved, state.Limiter.Now, state.Options.EnforceRateLimits);
        if (!admission.Admitted)
        {
            await RateLimitedAsync(call, request.Model, admission, counters!).ConfigureAwait(false);
            return;
        }

        var ticket = new Ticket(quota, counters!, reserved, promptTokens);
        ulong seed = ContentSeed(request);
        ReplyPlan plan;
        try
        {
            ScriptedReply? script = state.Script.IsEmpty ? null : state.Script.Match(ToScriptRequest(request, call, model.Id));
            plan = state.Planner.Plan(request, model, promptTokens, script, seed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A throwing script predicate is a test bug; answer 500 and say so in the log rather than hang the client.
            Log.ScriptFailed(state.Logger, ex, call.RequestId);
            ticket.Settle(state, charged: false, completionTokens: 0);
            await Responses.WriteErrorAsync(response, ApiError.InternalServerError(), aborted).ConfigureAwait(false);
            return;
        }

        if (fault is not null)
        {
            Log.FaultInjected(state.Logger, call.RequestId, model.Id, fault);
        }

        var header = new CompletionHeader(Ids.CompletionId(), state.Time.GetUtcNow().ToUnixTimeSeconds(), model.Id, state.FingerprintOf(model.Id), call.RequestId, plan.Seed);
        UsageNumbers usage = Usage(promptTokens, plan, seed);
        Responses.SetRateLimitHeaders(response, admission.Headers);
        if (request.Stream)
        {
            await StreamAsync(call, header, plan, usage, request.IncludeUsage, fault, ticket).ConfigureAwait(false);
        }
        else
        {
            await RespondJsonAsync(call, header, plan, usage, fault, ticket).ConfigureAwait(false);
        }
    }

    private UsageNumbers Usage(int promptTokens, ReplyPlan plan, ulong seed)
    {
        // Plausible timings with nine significant decimals, like Groq's: ~60k prompt tokens/s, the configured generation speed.
        ulong bits = seed ^ 0x7157_0000UL;
        long jitter = (long)(SplitMix64.Next(ref bits) % 1_000_000);
        double speed = state.Options.TokensPerSecond > 0 ? state.Options.TokensPerSecond : GroqEmulatorDefaults.TokensPerSecond;
        long queue = 3_000_000 + (long)(SplitMix64.Next(ref bits) % 57_000_000);
        long prompt = 200_000 + (promptTokens * 16_667L) + (jitter % 1000);
        long completion = (long)(plan.CompletionTokens * (1e9 / speed)) + jitter;
        return new UsageNumbers(queue, promptTokens, prompt, plan.CompletionTokens, completion, plan.ReasoningTokens);
    }

    /// <summary>The seed of the answer: model, messages and the request's seed, so the same request gets the same answer.</summary>
    private ulong ContentSeed(ChatRequest request)
    {
        ulong hash = Ids.Hash(request.Model);
        ReadOnlySpan<byte> messages = JsonMarshal.GetRawUtf8Value(request.Messages);
        foreach (byte b in messages)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        if (request.Seed is { } seed)
        {
            hash ^= (ulong)seed * 0x9E3779B97F4A7C15UL;
        }

        return hash ^ (ulong)(uint)state.Seed;
    }

    private static EmulatorRequest ToScriptRequest(ChatRequest request, Call call, string model)
    {
        var messages = new List<EmulatorMessage>(request.Messages.GetArrayLength());
        foreach (JsonElement message in request.Messages.EnumerateArray())
        {
            string role = message.GetProperty("role"u8).GetString()!;
            string content = message.TryGetProperty("content"u8, out JsonElement c) ? TextOf(c) : string.Empty;
            string? toolCallId = message.TryGetProperty("tool_call_id"u8, out JsonElement id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            var names = new List<string>();
            if (message.TryGetProperty("tool_calls"u8, out JsonElement calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement tc in calls.EnumerateArray())
                {
                    if (tc.TryGetProperty("function"u8, out JsonElement f) && f.TryGetProperty("name"u8, out JsonElement n) && n.ValueKind == JsonValueKind.String)
                    {
                        names.Add(n.GetString()!);
                    }
                }
            }

            messages.Add(new EmulatorMessage(role, content, toolCallId, names));
        }

        string? toolChoice = request.ToolChoice;
        return new EmulatorRequest(model, call.Organization.Id, request.Stream, messages, request.ToolNames, toolChoice, System.Text.Encoding.UTF8.GetString(call.Body.WrittenSpan));
    }

    private static string TextOf(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder();
        foreach (JsonElement part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text"u8, out JsonElement t) && t.ValueKind == JsonValueKind.String)
            {
                text.Append(t.GetString());
            }
        }

        return text.ToString();
    }

    private async Task RefuseAsync(HttpResponse response, string requestId, ModelQuota? quota, UsageCounters? counters, ApiError error, CancellationToken cancellationToken)
    {
        counters?.Reject();
        if (quota is not null && error.WithRateLimitHeaders)
        {
            Responses.SetRateLimitHeaders(response, quota.Peek(state.Limiter.Now));
        }

        Log.Refused(state.Logger, requestId, counters?.Model, error.Status, error.Code);
        await Responses.WriteErrorAsync(response, error, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<PooledBufferWriter> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = new PooledBufferWriter((int)Math.Clamp(request.ContentLength ?? 4096, 256, 1 << 20) + 1);
        while (true)
        {
            int read = await request.Body.ReadAsync(body.GetMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return body;
            }

            body.Advance(read);
        }
    }

    /// <summary>What one request carries through the pipeline.</summary>
    private sealed record Call(HttpContext Context, string RequestId, string Key, OrganizationState Organization, PooledBufferWriter Body)
    {
        public bool MidStreamFired { get; set; }
    }
}
