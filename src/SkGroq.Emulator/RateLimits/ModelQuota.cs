using SkGroq.Errors;
using SkGroq.Models;

namespace SkGroq.Emulator.RateLimits;

/// <summary>The RPM, RPD, TPM and TPD buckets of one (organization, model).</summary>
internal sealed class ModelQuota
{
    private readonly Lock _gate = new();
    private TokenBucket _rpm;
    private TokenBucket _rpd;
    private TokenBucket _tpm;
    private TokenBucket _tpd;

    public ModelQuota(ModelLimits limits, long now, long timestampFrequency)
    {
        Limits = limits;
        _rpm = new TokenBucket(limits.RequestsPerMinute ?? 0, RateLimitMath.MinuteSeconds, now, timestampFrequency);
        _rpd = new TokenBucket(limits.RequestsPerDay ?? 0, RateLimitMath.DaySeconds, now, timestampFrequency);
        _tpm = new TokenBucket(limits.TokensPerMinute ?? 0, RateLimitMath.MinuteSeconds, now, timestampFrequency);
        _tpd = new TokenBucket(limits.TokensPerDay ?? 0, RateLimitMath.DaySeconds, now, timestampFrequency);
    }

    public ModelLimits Limits { get; }

    /// <summary>Admits a request needing <paramref name="requestedTokens"/> (prompt + max tokens): takes 1 request and the tokens, or says which limit refuses.</summary>
    /// <remarks>Order: 413 when the tokens can never fit TPM; then RPM, RPD, TPM, TPD.</remarks>
    public Admission TryAdmit(long requestedTokens, long now, bool enforce)
    {
        lock (_gate)
        {
            Refill(now);
            if (enforce)
            {
                if (_tpm.IsActive && requestedTokens > _tpm.Limit)
                {
                    return new Admission(413, GroqLimitKind.TokensPerMinute, _tpm.Limit, 0, requestedTokens, 0, Headers());
                }

                if (Refuse(ref _rpm, GroqLimitKind.RequestsPerMinute, 1, out Admission refusal)
                    || Refuse(ref _rpd, GroqLimitKind.RequestsPerDay, 1, out refusal)
                    || Refuse(ref _tpm, GroqLimitKind.TokensPerMinute, requestedTokens, out refusal)
                    || Refuse(ref _tpd, GroqLimitKind.TokensPerDay, requestedTokens, out refusal))
                {
                    return refusal with { Headers = Headers() };
                }
            }

            _rpm.Take(1);
            _rpd.Take(1);
            _tpm.Take(requestedTokens);
            _tpd.Take(requestedTokens);
            return new Admission(200, GroqLimitKind.Unknown, 0, 0, requestedTokens, 0, Headers());
        }
    }

    /// <summary>Replaces a reservation by the actual use: gives back what was not used, or takes what was used beyond it.</summary>
    public void Settle(long reservedTokens, long actualTokens, long now)
    {
        long difference = reservedTokens - actualTokens;
        if (difference == 0)
        {
            return;
        }

        lock (_gate)
        {
            Refill(now);
            if (difference > 0)
            {
                _tpm.Give(difference);
                _tpd.Give(difference);
            }
            else
            {
                _tpm.Take(-difference);
                _tpd.Take(-difference);
            }
        }
    }

    /// <summary>Reads the header values without taking anything (for 4xx answers).</summary>
    public RateLimitHeaderValues Peek(long now)
    {
        lock (_gate)
        {
            Refill(now);
            return Headers();
        }
    }

    private static bool Refuse(ref TokenBucket bucket, GroqLimitKind kind, long requested, out Admission refusal)
    {
        if (!bucket.IsActive || bucket.Fits(requested))
        {
            refusal = default;
            return false;
        }

        long used = bucket.Used;
        refusal = new Admission(429, kind, bucket.Limit, used, requested, RateLimitMath.WaitNanoseconds(bucket.Limit, used, requested, bucket.WindowSeconds), default);
        return true;
    }

    private void Refill(long now)
    {
        _rpm.Refill(now);
        _rpd.Refill(now);
        _tpm.Refill(now);
        _tpd.Refill(now);
    }

    private RateLimitHeaderValues Headers() => new(
        _rpd.Limit,
        _rpd.Remaining,
        _rpd.ResetNanoseconds,
        _tpm.Limit,
        _tpm.Remaining,
        _tpm.ResetNanoseconds);
}

