using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>What Groq said about the quota in one answer: the <c>x-ratelimit-*</c> headers and, for a 429, the limit named in the body.</summary>
/// <param name="Headers">The rate-limit headers, when present (RPD and TPM only).</param>
/// <param name="ReservationId">The <see cref="QuotaReservation.Id"/> of the request this answers; reservations admitted after it are in flight and not yet in the server's figures.</param>
/// <param name="BodyLimit">The limit a 429 body named ("… on tokens per day (TPD): Limit 100000, Used 99290 …").</param>
/// <param name="BodyLimitValue">The body's <c>Limit</c>.</param>
/// <param name="BodyUsed">The body's <c>Used</c>: the server's usage, excluding the rejected request.</param>
internal readonly record struct QuotaObservation(
    GroqRateLimitHeaders? Headers,
    long ReservationId,
    GroqLimitKind BodyLimit = GroqLimitKind.Unknown,
    long? BodyLimitValue = null,
    long? BodyUsed = null);
