namespace SkGroq.Console.Chaos;

/// <summary>The usage ledger (read back from SQLite) against the emulator's own accounting of the same run.</summary>
/// <param name="Records">Usage records in the ledger: one per request is expected.</param>
/// <param name="Dropped">Records the ledger could not write.</param>
/// <param name="CacheHits">Requests answered by the response cache (no attempt, nothing billed).</param>
/// <param name="Stale">Requests answered with a stale cached answer because everything upstream failed.</param>
/// <param name="FellBack">Requests answered by the fallback model.</param>
/// <param name="LedgerAttempts">Attempts the records say were sent.</param>
/// <param name="EmulatorAttempts">Chat completion requests the emulator received.</param>
/// <param name="LedgerAnswers">Records of whole answers from the server (not the cache).</param>
/// <param name="EmulatorAnswers">Whole answers the emulator sent.</param>
/// <param name="LedgerPromptTokens">Prompt tokens the ledger says were billed.</param>
/// <param name="EmulatorPromptTokens">Prompt tokens the emulator charged.</param>
/// <param name="LedgerCompletionTokens">Completion tokens the ledger says were billed.</param>
/// <param name="EmulatorCompletionTokens">Completion tokens the emulator charged.</param>
internal sealed record ChaosLedgerCheck(
    long Records,
    long Dropped,
    long CacheHits,
    long Stale,
    long FellBack,
    long LedgerAttempts,
    long EmulatorAttempts,
    long LedgerAnswers,
    long EmulatorAnswers,
    long LedgerPromptTokens,
    long EmulatorPromptTokens,
    long LedgerCompletionTokens,
    long EmulatorCompletionTokens)
{
    /// <summary>Gets what does not add up, one sentence each.</summary>
    /// <param name="requests">The requests the run made.</param>
    /// <returns>The mismatches; empty when the ledger equals the emulator's accounting.</returns>
    public IEnumerable<string> Mismatches(int requests)
    {
        if (Records != requests)
        {
            yield return $"The ledger holds {Records} usage records for {requests} requests (one each expected).";
        }

        if (Dropped != 0)
        {
            yield return $"The ledger dropped {Dropped} records.";
        }

        if (LedgerAttempts != EmulatorAttempts)
        {
            yield return $"The ledger counts {LedgerAttempts} attempts, the emulator received {EmulatorAttempts}.";
        }

        if (LedgerAnswers != EmulatorAnswers)
        {
            yield return $"The ledger records {LedgerAnswers} whole answers, the emulator sent {EmulatorAnswers}.";
        }

        if (LedgerPromptTokens != EmulatorPromptTokens)
        {
            yield return $"The ledger bills {LedgerPromptTokens} prompt tokens, the emulator charged {EmulatorPromptTokens}.";
        }

        if (LedgerCompletionTokens != EmulatorCompletionTokens)
        {
            yield return $"The ledger bills {LedgerCompletionTokens} completion tokens, the emulator charged {EmulatorCompletionTokens}.";
        }
    }
}
