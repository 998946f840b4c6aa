namespace SkGroq.Tokens;

/// <summary>Estimates the prompt tokens of chat-completion requests before they are sent, and learns from what Groq reports.</summary>
public interface IRequestTokenEstimator
{
    /// <summary>Estimates the prompt tokens Groq will report for a request body.</summary>
    /// <param name="model">The model the request is for.</param>
    /// <param name="requestJson">The request body (OpenAI chat-completion JSON).</param>
    /// <param name="feature">The feature tag, for per-feature calibration.</param>
    /// <returns>The estimate.</returns>
    RequestTokenEstimate Estimate(string model, ReadOnlySpan<byte> requestJson, string? feature = null);

    /// <summary>Feeds back the prompt tokens Groq reported for a request estimated earlier, so later estimates converge.</summary>
    /// <param name="model">The model that answered.</param>
    /// <param name="feature">The feature tag given to <see cref="Estimate"/>.</param>
    /// <param name="estimate">The estimate made before sending.</param>
    /// <param name="reportedPromptTokens">The <c>usage.prompt_tokens</c> Groq reported.</param>
    void Observe(string model, string? feature, RequestTokenEstimate estimate, long reportedPromptTokens);
}
