namespace SkGroq.Http;

/// <summary>What Groq said of a request it refused for a rate limit (a 429 or 413 body and its wait).</summary>
/// <param name="Model">The model that refused it; the word holds for attempts on that model only.</param>
/// <param name="At">When the server takes the request again (<c>retry-after</c>, "try again in …"); <see langword="null"/> when it named no time.</param>
/// <param name="RequestedTokens">The body's "Requested R": the tokens the server counted for the request.</param>
internal sealed record ServerRetry(string Model, DateTimeOffset? At, long? RequestedTokens);
