using System.Text.Json;
using SkGroq.Emulator.Chat;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Hosting;

/// <summary>The answer itself: one JSON body, or the SSE stream, paced by the TimeProvider, with mid-stream faults.</summary>
internal sealed partial class ChatCompletionsEndpoint
{
    private async Task RespondJsonAsync(Call call, CompletionHeader header, ReplyPlan plan, UsageNumbers usage, EmulatorFault? fault, Ticket ticket)
    {
        HttpContext context = call.Context;
        CancellationToken aborted = context.RequestAborted;
        if (plan.Error is { } error)
        {
            // tool_use_failed: a 400 after admission; nothing billed.
            ticket.Settle(state, charged: false, completionTokens: 0);
            await RefuseAsync(context.Response, call.RequestId, null, ticket.Counters, error, aborted).ConfigureAwait(false);
            return;
        }

        bool faulted = fault?.Kind is EmulatorFaultKind.SlowFirstToken or EmulatorFaultKind.Stall or EmulatorFaultKind.StreamDisconnect;
        if (faulted)
        {
            ticket.Counters.Fault();
            state.Accounting.FaultSent(fault!.Kind);
        }

        TimeSpan wait = state.Options.TimeToFirstToken + ExtraDelay(fault) + GenerationTime(plan.CompletionTokens);
        try
        {
            await DelayAsync(wait, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            Incomplete(call, header.Model, ticket, 0, "client gone");
            return;
        }

        var body = new PooledBufferWriter(1024 + (plan.Content.Length * 2));
        Utf8JsonWriter writer = JsonWriting.Rent(body);
        CompletionJson.WriteCompletion(writer, header, plan, usage, state.Behavior);
        JsonWriting.Return(writer);
        if (fault?.Kind == EmulatorFaultKind.StreamDisconnect)
        {
            // Half a body, then the connection goes away.
            HttpResponse response = context.Response;
            response.ContentType = "application/json";
            response.ContentLength = body.WrittenCount;
            await response.Body.WriteAsync(body.WrittenMemory[..(body.WrittenCount / 2)], aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            body.Dispose();
            context.Abort();
            Incomplete(call, header.Model, ticket, plan.CompletionTokens, "disconnect fault");
            return;
        }

        ticket.Settle(state, charged: true, plan.CompletionTokens);
        ticket.Counters.Succeed();
        Log.Completed(state.Logger, call.RequestId, header.Model, false, 200, ticket.PromptTokens, plan.CompletionTokens, plan.FinishReason);
        await Responses.WriteJsonAsync(context.Response, body, aborted).ConfigureAwait(false);
    }

    private async Task StreamAsync(Call call, CompletionHeader header, ReplyPlan plan, UsageNumbers usage, bool includeUsage, EmulatorFault? fault, Ticket ticket)
    {
        HttpContext context = call.Context;
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        EmulatorFault? midStream = fault is { IsMidStream: true } ? fault : null;
        if (fault is not null && (midStream is not null || fault.Kind == EmulatorFaultKind.SlowFirstToken))
        {
            ticket.Counters.Fault();
            state.Accounting.FaultSent(fault.Kind);
        }

        int tokensSent = 0;
        try
        {
            long start = state.Time.GetTimestamp();
            TimeSpan firstToken = state.Options.TimeToFirstToken + ExtraDelay(fault?.Kind == EmulatorFaultKind.SlowFirstToken ? fault : null);
            await DelayAsync(firstToken, aborted).ConfigureAwait(false);

            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            using var sse = new SseWriter(response.BodyWriter);
            sse.RoleChunk(header, contentNull: plan.ToolCalls.Count > 0);
            await sse.FlushAsync(aborted).ConfigureAwait(false);

            var pacing = new Pacing(state, start, firstToken);
            int chunks = 0;
            if (plan.Reasoning is { } reasoning)
            {
                foreach (TextPiece piece in reasoning.Pieces)
                {
                    if (await MidStreamAsync(call, sse, header, midStream, chunks, ticket, tokensSent).ConfigureAwait(false))
                    {
                        return;
                    }

                    await pacing.WaitAsync(sse, tokensSent, aborted).ConfigureAwait(false);
                    tokensSent += piece.Tokens;
                    sse.DeltaChunk(header, piece.Text, reasoning: true, plan.ReasoningChannel);
                    chunks++;
                }
            }

            foreach (TextPiece piece in plan.Content.Pieces)
            {
                if (await MidStreamAsync(call, sse, header, midStream, chunks, ticket, tokensSent).ConfigureAwait(false))
                {
                    return;
                }

                await pacing.WaitAsync(sse, tokensSent, aborted).ConfigureAwait(false);
                tokensSent += piece.Tokens;
                sse.DeltaChunk(header, piece.Text, reasoning: false, channel: false);
                chunks++;
            }

            for (int i = 0; i < plan.ToolCalls.Count; i++)
            {
                if (await MidStreamAsync(call, sse, header, midStream, chunks, ticket, tokensSent).ConfigureAwait(false))
                {
                    return;
                }

                tokensSent = plan.CompletionTokens * (i + 1) / plan.ToolCalls.Count;
                await pacing.WaitAsync(sse, tokensSent, aborted).ConfigureAwait(false);
                sse.ToolCallChunk(header, plan.ToolCalls[i], i);
                chunks++;
            }

            // A mid-stream fault set after more chunks than the answer has happens before the finish chunk.
            if (await MidStreamAsync(call, sse, header, midStream, Math.Max(chunks, midStream?.AfterChunks ?? 0), ticket, tokensSent).ConfigureAwait(false))
            {
                return;
            }

            if (plan.Error is { } error)
            {
                // Recorded (docs/GROQ-API.md §9 (g)): event: error with status_code, no [DONE]; nothing billed.
                sse.ErrorFrame(error, asEvent: true);
                await sse.FlushAsync(aborted).ConfigureAwait(false);
                Incomplete(call, header.Model, ticket, 0, error.Code ?? "error", charge: false);
                return;
            }

            await pacing.WaitAsync(sse, plan.CompletionTokens, aborted).ConfigureAwait(false);
            sse.FinishChunk(header, plan.FinishReason, usage, state.Behavior.UsageOnFinishChunk);
            if (includeUsage)
            {
                sse.UsageChunk(header, usage, state.Behavior.ServiceTierInResponse);
            }

            sse.Done();
            ticket.Settle(state, charged: true, plan.CompletionTokens);
            ticket.Counters.Succeed();
            Log.Completed(state.Logger, call.RequestId, header.Model, true, 200, ticket.PromptTokens, plan.CompletionTokens, plan.FinishReason);

            // The body ends with [DONE]: the terminating chunk goes out in the same write, not when the handler returns.
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            Incomplete(call, header.Model, ticket, tokensSent, "client gone");
        }
    }

    /// <summary>Runs the mid-stream fault when its chunk count is reached; returns <see langword="true"/> when the stream is over.</summary>
    private async ValueTask<bool> MidStreamAsync(Call call, SseWriter sse, CompletionHeader header, EmulatorFault? fault, int chunks, Ticket ticket, int tokensSent)
    {
        if (fault is null || chunks != fault.AfterChunks || call.MidStreamFired)
        {
            return false;
        }

        call.MidStreamFired = true;
        CancellationToken aborted = call.Context.RequestAborted;
        await sse.FlushAsync(aborted).ConfigureAwait(false);
        switch (fault.Kind)
        {
            case EmulatorFaultKind.Stall:
                await DelayAsync(fault.Duration ?? GroqEmulatorDefaults.StallDuration, aborted).ConfigureAwait(false);
                return false;
            case EmulatorFaultKind.StreamDisconnect:
                // An optional pause first, so a client can be shown reading the partial answer before the connection dies.
                await DelayAsync(fault.Duration ?? TimeSpan.Zero, aborted).ConfigureAwait(false);
                call.Context.Abort();
                Incomplete(call, header.Model, ticket, tokensSent, "disconnect fault");
                return true;
            case EmulatorFaultKind.StreamXGroqError:
                sse.XGroqErrorChunk(header, "The model stopped generating unexpectedly. Please try again.");
                break;
            default:
                sse.ErrorFrame(StreamError(fault, header.Model, call.Organization.Id), asEvent: fault.Kind == EmulatorFaultKind.StreamErrorEvent);
                break;
        }

        await sse.FlushAsync(aborted).ConfigureAwait(false);
        Incomplete(call, header.Model, ticket, tokensSent, EmulatorFault.NameOf(fault.Kind));
        return true;
    }

    private void Incomplete(Call call, string model, Ticket ticket, int completionTokens, string reason, bool? charge = null)
    {
        bool charged = charge ?? state.Behavior.ChargeIncompleteStreams;
        ticket.Settle(state, charged, completionTokens);
        ticket.Counters.Incomplete();
        Log.Incomplete(state.Logger, call.RequestId, model, reason);
    }

    private TimeSpan GenerationTime(int tokens)
        => state.Options.TokensPerSecond > 0 ? TimeSpan.FromSeconds(tokens / state.Options.TokensPerSecond) : TimeSpan.Zero;

    private static TimeSpan ExtraDelay(EmulatorFault? fault) => fault?.Kind switch
    {
        EmulatorFaultKind.SlowFirstToken => fault.Duration ?? GroqEmulatorDefaults.SlowFirstTokenDelay,
        EmulatorFaultKind.Stall => fault.Duration ?? GroqEmulatorDefaults.StallDuration,
        _ => TimeSpan.Zero,
    };

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => DelayAsync(delay, state.Time, cancellationToken);

    private static Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
        => delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);

    /// <summary>Token pacing: token n (from 0) is due at first token + n / rate; due chunks are written together, at most one wake-up per pacing interval.</summary>
    /// <remarks>A piece is due when its first token is, so the first piece goes out with the role chunk at the time to first token, not a pacing interval later.</remarks>
    private sealed class Pacing(EmulatorState state, long start, TimeSpan firstToken)
    {
        public async ValueTask WaitAsync(SseWriter sse, int tokens, CancellationToken cancellationToken)
        {
            double rate = state.Options.TokensPerSecond;
            if (rate <= 0 || tokens == 0)
            {
                // Token 0 is due at the time to first token, which the caller has just waited. Comparing clocks here would hold
                // it back a whole pacing interval whenever that timer fired a fraction of a millisecond early (timers run on a
                // coarser clock than timestamps), adding ~20 ms to every measured time to first token.
                return;
            }

            TimeSpan due = firstToken + TimeSpan.FromSeconds(tokens / rate);
            TimeSpan elapsed = state.Time.GetElapsedTime(start);
            if (due <= elapsed)
            {
                return;
            }

            await sse.FlushAsync(cancellationToken).ConfigureAwait(false);
            TimeSpan wait = due - elapsed;
            TimeSpan minimum = state.Options.PacingInterval;
            await DelayAsync(wait < minimum ? minimum : wait, state.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
