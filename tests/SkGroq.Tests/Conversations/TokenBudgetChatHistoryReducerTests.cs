using CsCheck;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Conversations;
using SkGroq.Errors;
using SkGroq.Tokens;

namespace SkGroq.Tests.Conversations;

public sealed class TokenBudgetChatHistoryReducerTests
{
    private const string Model = "llama-3.3-70b-versatile";
    private static readonly TokenCounterProvider s_counters = new();
    private static readonly ITokenCounter s_counter = s_counters.GetCounter(Model);

    private static readonly Gen<string> s_words = Gen.OneOf(
        "the", "invoice", "vacation", "policy", "Paris", "42", "tokens", "budget", "naïve", "日本語", "data:", "{\"a\":1}", "résumé", "carry", "over");

    private static readonly Gen<string> s_text = s_words.Array[1, 40].Select(w => string.Join(' ', w));

    // A turn: a user message, then either a plain answer or a tool call, its result, and the answer.
    private static readonly Gen<List<ChatMessageContent>> s_turn = Gen.Select(s_text, s_text, Gen.Bool, Gen.Int[0, 9999]).Select((question, answer, tool, id) =>
    {
        var turn = new List<ChatMessageContent> { new(AuthorRole.User, question) };
        if (tool)
        {
            string callId = "call_" + id;
            turn.Add(new ChatMessageContent(AuthorRole.Assistant, [new FunctionCallContent("search", "kb", callId, new KernelArguments { ["query"] = question })]));
            turn.Add(new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent("search", "kb", callId, "[1] (a.md) " + answer)]));
        }

        turn.Add(new ChatMessageContent(AuthorRole.Assistant, answer));
        return turn;
    });

    private static readonly Gen<(List<ChatMessageContent> History, int Slack)> s_case = Gen.Select(Gen.Bool, s_text, s_turn.List[1, 12], Gen.Int[0, 600]).Select((hasSystem, system, turns, slack) =>
    {
        var history = new List<ChatMessageContent>();
        if (hasSystem)
        {
            history.Add(new ChatMessageContent(AuthorRole.System, system));
        }

        history.AddRange(turns.SelectMany(t => t));
        return (history, slack);
    });

    [Fact]
    public void Reduce_RandomHistories_StaysWithinBudgetExactlyKeepsNewestTurnsAndNeverSplitsToolPairs()
    {
        s_case.Sample(c =>
        {
            (List<ChatMessageContent> history, int slack) = c;
            int systemCount = history.TakeWhile(m => m.Role == AuthorRole.System).Count();
            int lastUser = history.FindLastIndex(m => m.Role == AuthorRole.User);
            int minimum = Count([.. history.Take(systemCount), .. history.Skip(lastUser)]);
            int budget = minimum + slack;
            var reducer = new TokenBudgetChatHistoryReducer(s_counter, budget, Model);

            TokenBudgetChatHistoryReducer.Reduction reduction = reducer.Reduce(history, budget);
            List<ChatMessageContent> kept = reduction.Kept;

            // Within budget, counted with the real tokenizer and template.
            Assert.True(Count(kept) <= budget, $"{Count(kept)} > {budget}");

            // System messages first, then a suffix of the history that starts at a user message (whole turns, newest kept).
            Assert.Equal(history.Take(systemCount), kept.Take(systemCount));
            List<ChatMessageContent> tail = kept.Skip(systemCount).ToList();
            Assert.Equal(history.Skip(history.Count - tail.Count), tail);
            Assert.Equal(AuthorRole.User, tail[0].Role);
            Assert.Equal(history.Count, kept.Count + reduction.Dropped.Count);

            // Maximal: one more (older) turn would not fit.
            int firstKept = history.Count - tail.Count;
            int previousUser = firstKept == 0 ? -1 : history.FindLastIndex(firstKept - 1, m => m.Role == AuthorRole.User);
            if (previousUser >= systemCount && previousUser < firstKept)
            {
                Assert.True(Count([.. history.Take(systemCount), .. history.Skip(previousUser)]) > budget);
            }

            // Every tool result kept has its call kept, and every call kept has its result.
            var calls = kept.SelectMany(m => m.Items.OfType<FunctionCallContent>()).Select(f => f.Id).ToHashSet();
            var results = kept.SelectMany(m => m.Items.OfType<FunctionResultContent>()).Select(f => f.CallId).ToHashSet();
            Assert.True(calls.SetEquals(results));
        }, iter: 300);
    }

    [Fact]
    public async Task ReduceAsync_HistoryWithinBudget_ReturnsNullAndDropsNothing()
    {
        List<ChatMessageContent> history = [new(AuthorRole.System, "Be brief."), new(AuthorRole.User, "Hi"), new(AuthorRole.Assistant, "Hello!")];
        var reducer = new TokenBudgetChatHistoryReducer(s_counter, Count(history), Model);

        Assert.Null(await reducer.ReduceAsync(history, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReduceAsync_OverBudget_DropsOldestTurnsAndKeepsSystemMessage()
    {
        List<ChatMessageContent> history =
        [
            new(AuthorRole.System, "Be brief."),
            new(AuthorRole.User, "First question about the expense policy and its many limits"),
            new(AuthorRole.Assistant, "A long first answer that talks about meals, hotels, flights and claims in detail."),
            new(AuthorRole.User, "Second question?"),
            new(AuthorRole.Assistant, "Second answer."),
        ];
        int budget = Count([history[0], history[3], history[4]]);
        var reducer = new TokenBudgetChatHistoryReducer(s_counter, budget, Model);

        IEnumerable<ChatMessageContent>? reduced = await reducer.ReduceAsync(history, TestContext.Current.CancellationToken);

        Assert.NotNull(reduced);
        Assert.Equal([history[0], history[3], history[4]], reduced);
    }

    [Fact]
    public void Reduce_NewestTurnAloneTooLarge_FailsWithContextLengthErrorNamingTheFix()
    {
        List<ChatMessageContent> history = [new(AuthorRole.System, "Be brief."), new(AuthorRole.User, string.Join(' ', Enumerable.Repeat("word", 200)))];
        var reducer = new TokenBudgetChatHistoryReducer(s_counter, 50, Model);

        var ex = Assert.Throws<GroqContextLengthExceededException>(() => reducer.Reduce(history, 50));
        Assert.Contains("Shorten the message", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Count(history), ex.RequestedTokens);
    }

    [Fact]
    public void Count_MatchesTheVerifiedLlamaExample()
    {
        // docs/GROQ-API.md §10: system "You are a helpful assistant." + user "What is the capital of France?" = 48 on Llama 3.3.
        var reducer = new TokenBudgetChatHistoryReducer(s_counter, 100, Model);
        Assert.Equal(48, reducer.Count([new(AuthorRole.System, "You are a helpful assistant."), new(AuthorRole.User, "What is the capital of France?")]));
    }

    private static int Count(IEnumerable<ChatMessageContent> messages) => new TokenBudgetChatHistoryReducer(s_counter, 1, Model).Count(messages);
}
