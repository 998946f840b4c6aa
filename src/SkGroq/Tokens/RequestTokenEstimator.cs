using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkGroq.Tokens.Templates;

namespace SkGroq.Tokens;

/// <summary>Estimates the <c>prompt_tokens</c> Groq will report for a chat-completion request, and learns from what it reports.</summary>
/// <remarks>
/// <para>
/// <see cref="RequestTokenEstimate.PromptTokens"/> is the count itself: the messages rendered with the model's chat template
/// and counted with its vocabulary, plus fixed estimates for tools, <c>response_format</c>, images and tool-call structure
/// (<see cref="TokenCountingDefaults"/>). Calibration never changes it, so it can stand in for what Groq charges (the emulator
/// reports it as <c>usage.prompt_tokens</c>).
/// </para>
/// <para>
/// <see cref="RequestTokenEstimate.BudgetTokens"/> is what a limiter should reserve: counted tokens times the family's margin,
/// estimated tokens times <see cref="TokenCountingDefaults.EstimatedPartsMargin"/>, times the learned correction of the model
/// (or of the model and feature); never below the prompt tokens.
/// </para>
/// <para>
/// A body that is not valid JSON (or not a JSON object) does not throw: it gets a safe estimate from its raw text (every
/// character of a prompt is in the body, so the raw count bounds the content), marked inexact, and a warning is logged.
/// Groq rejects such a body with a 400 that tells the caller what is wrong. Thread-safe.
/// </para>
/// </remarks>
internal sealed class RequestTokenEstimator : IRequestTokenEstimator
{
    private readonly TokenCounterProvider _counters;
    private readonly TokenCalibration _calibration = new();
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="RequestTokenEstimator"/> class.</summary>
    /// <param name="counters">The token counters.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public RequestTokenEstimator(TokenCounterProvider counters, ILogger<RequestTokenEstimator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(counters);
        _counters = counters;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the token counters the estimator uses.</summary>
    public TokenCounterProvider Counters => _counters;

    /// <summary>Gets a snapshot of the corrections learned so far, per model and per (model, feature).</summary>
    internal IReadOnlyList<TokenCorrection> Corrections => _calibration.Snapshot();

    /// <inheritdoc/>
    public RequestTokenEstimate Estimate(string model, ReadOnlySpan<byte> requestJson, string? feature = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TokenCounter counter = _counters.GetTokenCounter(model);
        PromptTally tally;
        try
        {
            tally = ChatRequestReader.Read(requestJson, counter, TokenCountingDefaults.ImageTokens);
        }
        catch (JsonException ex)
        {
            TokensLog.MalformedRequestBody(_logger, model, ex.Message);
            tally = EstimateRaw(requestJson, counter);
        }

        long prompt = tally.Total;
        double budget = ((tally.Counted * counter.Margin) + (tally.Estimated * TokenCountingDefaults.EstimatedPartsMargin)) * _calibration.GetFactor(model, feature);
        long budgetTokens = Math.Max(prompt, (long)Math.Ceiling(budget));
        bool exact = counter.IsExact && !tally.Inexact && tally.Estimated == 0;
        return new RequestTokenEstimate(prompt, budgetTokens, exact, counter.Vocabulary);
    }

    /// <inheritdoc/>
    public void Observe(string model, string? feature, RequestTokenEstimate estimate, long reportedPromptTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        TokensLog.Observed(_logger, model, feature, estimate.PromptTokens, reportedPromptTokens);
        _calibration.Observe(model, feature, estimate.PromptTokens, reportedPromptTokens);
    }

    /// <summary>Gets the correction factor budgets of a model (and feature) are multiplied by.</summary>
    /// <param name="model">The model.</param>
    /// <param name="feature">The feature tag.</param>
    /// <returns>The factor; 1 until something was observed.</returns>
    public double GetCorrection(string model, string? feature = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _calibration.GetFactor(model, feature);
    }

    private static PromptTally EstimateRaw(ReadOnlySpan<byte> body, TokenCounter counter)
    {
        char[] buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxCharCount(body.Length)));
        try
        {
            int length = Encoding.UTF8.GetChars(body, buffer);
            var tally = new PromptTally { Counted = counter.CountTokens(buffer.AsSpan(0, length)), Inexact = true };
            counter.Template.Finish(new PromptFeatures(ReasoningDisabled: false), ref tally);
            return tally;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
