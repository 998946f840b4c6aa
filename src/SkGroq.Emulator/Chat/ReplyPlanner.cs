using SkGroq.Emulator.Scripting;
using SkGroq.Emulator.Tokens;
using SkGroq.Emulator.Wire;
using SkGroq.Models;

namespace SkGroq.Emulator.Chat;

/// <summary>Decides the answer: scripted or generated text, reasoning, tool calls, stop sequences, the token budget and the finish reason.</summary>
/// <remarks>
/// Completion tokens follow docs/GROQ-API.md §10: content plus the end-of-turn token; gpt-oss adds 10 structural tokens around
/// analysis and final; at the budget the answer stops with <c>length</c> and exactly the budget is charged; a stop sequence
/// cuts the text (it is not returned) and the tokens generated up to and including it are charged (INFERRED).
/// </remarks>
internal sealed class ReplyPlanner(IEmulatorTokenizer tokenizer, TextGenerator generator, bool legacyToolCallIds)
{
    private const int HarmonyBeforeAnalysis = 3;
    private const int HarmonyBetweenChannels = 6;
    private const int MinGeneratedTokens = 24;
    private const int GeneratedTokenRange = 72;
    private long _toolCallSequence;

    public static ReasoningStyle StyleOf(string model)
        => model.StartsWith("openai/gpt-oss", StringComparison.Ordinal) ? ReasoningStyle.Harmony
            : model.StartsWith("qwen/qwen3", StringComparison.Ordinal) ? ReasoningStyle.Think
            : ReasoningStyle.None;

    public ReplyPlan Plan(ChatRequest request, ModelInfo model, int promptTokens, ScriptedReply? script, ulong seed)
    {
        string id = model.Id;
        Func<string, int> count = text => tokenizer.CountTokens(id, text);
        var plan = new ReplyPlan { Seed = request.Seed ?? (long)(seed & 0x7FFF_FFFF) };
        int budget = request.MaxTokens ?? Math.Max(0, Math.Min(model.MaxCompletionTokens, model.ContextWindow - promptTokens));
        if (model.MaxCompletionTokens == 0 && model.ContextWindow == 0)
        {
            budget = request.MaxTokens ?? int.MaxValue;
        }

        if (PlanToolCalls(request, script, plan, count, seed, budget))
        {
            return plan;
        }

        if (request.ToolRequired && script is not null)
        {
            // The recorded tool_use_failed case: the model answered in text although a tool call was required.
            plan.Error = ApiError.ToolChoiceRequired();
        }

        ReasoningStyle style = StyleOf(id);
        if (style == ReasoningStyle.Think && request.ReasoningEffort == "none")
        {
            style = ReasoningStyle.None;
        }

        PieceText? reasoning = null;
        if (style != ReasoningStyle.None)
        {
            reasoning = new PieceText(64);
            if (script?.Reasoning is { } scripted)
            {
                TextSplitter.Append(scripted, count, reasoning);
            }
            else
            {
                generator.Generate(seed ^ 0x5EA5_0000_0000UL, ReasoningTarget(request.ReasoningEffort, seed), id, count, reasoning);
            }
        }

        PieceText answer;
        if (script?.Content is { } text)
        {
            answer = new PieceText(text.Length / 3);
            TextSplitter.Append(text, count, answer);
        }
        else
        {
            // Beyond the budget only one token is needed to know the answer is cut ("length").
            int target = Math.Min(MinGeneratedTokens + (int)(seed % GeneratedTokenRange), budget == int.MaxValue ? budget : budget + 1);
            answer = new PieceText(target + 16);
            generator.Generate(seed, target, id, count, answer);
            if (request.JsonMode)
            {
                // JSON mode answers with JSON: the generated sentences become one string field.
                string json = System.Text.Json.JsonSerializer.Serialize(answer.Text, EmulatorJsonContext.Default.String);
                answer = new PieceText(target + 16);
                TextSplitter.Append("{\"answer\": " + json + "}", count, answer);
            }
        }

        int stopTokens = ApplyStop(answer, request.Stop, count);
        bool showParsed = request.ReasoningFormat == "parsed" || request.IncludeReasoning == true
            || (style == ReasoningStyle.Harmony && request.ReasoningFormat is null && request.IncludeReasoning is null);
        bool hidden = request.ReasoningFormat == "hidden" || request.IncludeReasoning == false;
        bool raw = style == ReasoningStyle.Think && !showParsed && !hidden;

        // Token layout: [before][reasoning][between][answer][end]. The structure comes from SkGroq's counter: harmony's 10
        // structural tokens (3 before the analysis, 6 between the channels, the final <|return|>), Qwen3's think frame, and
        // the end-of-turn token, which a stop sequence replaces (it is generated instead; not returned).
        int endOfTurn = tokenizer.EndOfTurnTokens(id);
        (int before, int between) = style switch
        {
            ReasoningStyle.Harmony => (Math.Min(HarmonyBeforeAnalysis, endOfTurn), Math.Min(HarmonyBetweenChannels, Math.Max(0, endOfTurn - HarmonyBeforeAnalysis))),
            ReasoningStyle.Think => (tokenizer.ReasoningFrameTokens(id) / 2, tokenizer.ReasoningFrameTokens(id) - (tokenizer.ReasoningFrameTokens(id) / 2)),
            _ => (0, 0),
        };
        int end = stopTokens >= 0 ? stopTokens : endOfTurn - (style == ReasoningStyle.Harmony ? before + between : 0);
        int needed = before + (reasoning?.Tokens ?? 0) + between + answer.Tokens + end;
        if (needed <= budget)
        {
            plan.CompletionTokens = needed;
            plan.FinishReason = "stop";
        }
        else
        {
            int left = budget - Math.Min(budget, before);
            left -= reasoning?.Truncate(left, count) ?? 0;
            left -= Math.Min(left, between);
            answer.Truncate(left, count);
            plan.CompletionTokens = budget;
            plan.FinishReason = "length";
        }

        plan.ReasoningTokens = reasoning?.Tokens ?? 0;
        plan.ReasoningChannel = style == ReasoningStyle.Harmony;
        if (raw)
        {
            bool wholeThinkBlock = plan.FinishReason == "stop" || budget >= before + reasoning!.Tokens + between;
            plan.Content = Merge(reasoning, answer, wholeThinkBlock, before, between);
        }
        else
        {
            plan.Content = answer;
            plan.Reasoning = showParsed && !hidden ? reasoning : null;
        }

        return plan;
    }

    private bool PlanToolCalls(ChatRequest request, ScriptedReply? script, ReplyPlan plan, Func<string, int> count, ulong seed, int budget)
    {
        if (!request.ToolsAllowed)
        {
            return false;
        }

        IReadOnlyList<ScriptedToolCall> calls = script?.ToolCalls ?? [];
        if (calls.Count == 0)
        {
            if (!request.ToolRequired || script is not null)
            {
                return false;
            }

            calls = [new ScriptedToolCall(request.ToolChoiceFunction ? request.ToolChoice! : request.ToolNames[0])];
        }

        if (!request.ParallelToolCalls && calls.Count > 1)
        {
            calls = [calls[0]];
        }

        int tokens = 0;
        foreach (ScriptedToolCall call in calls)
        {
            if (!request.DisableToolValidation && !request.ToolNames.Contains(call.Name))
            {
                plan.Error = ApiError.ToolNotInRequest(call.Name, $"<function={call.Name}>{call.Arguments}</function>");
                plan.FinishReason = "stop";
                return true;
            }

            tokens += count($"{{\"name\": \"{call.Name}\", \"parameters\": {call.Arguments}}}");
        }

        tokens += tokenizer.EndOfTurnTokens(request.Model);
        if (tokens > budget)
        {
            plan.FinishReason = "length";
            plan.CompletionTokens = budget;
            return true;
        }

        ulong sequence = (ulong)Interlocked.Increment(ref _toolCallSequence);
        for (int i = 0; i < calls.Count; i++)
        {
            ScriptedToolCall call = calls[i];
            plan.ToolCalls.Add(new PlannedToolCall(call.Id ?? Ids.ToolCallId(seed ^ (sequence << 8) ^ (ulong)i, legacyToolCallIds), call.Name, call.Arguments));
        }

        plan.FinishReason = "tool_calls";
        plan.CompletionTokens = tokens;
        return true;
    }

    /// <summary>Cuts the answer before the first stop sequence; returns the tokens of that sequence (generated, not returned), or −1.</summary>
    private static int ApplyStop(PieceText answer, List<string>? stops, Func<string, int> count)
    {
        if (stops is null || stops.Count == 0)
        {
            return -1;
        }

        string text = answer.Text;
        int best = -1;
        string? which = null;
        foreach (string stop in stops)
        {
            if (stop.Length == 0)
            {
                continue;
            }

            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                which = stop;
            }
        }

        if (which is null)
        {
            return -1;
        }

        answer.CutAt(best, count);
        return count(which);
    }

    private static int ReasoningTarget(string? effort, ulong seed) => effort switch
    {
        "low" => 12 + (int)(seed % 16),
        "high" => 64 + (int)(seed % 64),
        _ => 24 + (int)(seed % 40),
    };

    private static PieceText Merge(PieceText? reasoning, PieceText answer, bool wholeThinkBlock, int openTokens, int closeTokens)
    {
        var merged = new PieceText();
        merged.Append("<think>\n", openTokens);
        if (reasoning is not null)
        {
            foreach (TextPiece piece in reasoning.Pieces)
            {
                merged.Append(piece.Text, piece.Tokens);
            }
        }

        if (wholeThinkBlock)
        {
            merged.Append("\n</think>\n\n", closeTokens);
            foreach (TextPiece piece in answer.Pieces)
            {
                merged.Append(piece.Text, piece.Tokens);
            }
        }

        return merged;
    }
}
