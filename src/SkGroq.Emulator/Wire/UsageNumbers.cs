namespace SkGroq.Emulator.Wire;

/// <summary>The numbers of a <c>usage</c> object; times in nanoseconds so that total = prompt + completion exactly.</summary>
internal readonly record struct UsageNumbers(
    long QueueNanoseconds,
    int PromptTokens,
    long PromptNanoseconds,
    int CompletionTokens,
    long CompletionNanoseconds,
    int ReasoningTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;

    public long TotalNanoseconds => PromptNanoseconds + CompletionNanoseconds;
}
