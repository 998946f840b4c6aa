using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <content>Learning limits and usage from what Groq says: <c>x-ratelimit-*</c> headers and 429 bodies.</content>
internal sealed partial class ModelQuota
{
    /// <summary>Learns limits and the server's usage from one answer, counting in the reservations the server has not seen yet.</summary>
    /// <param name="observation">What the answer said.</param>
    /// <param name="now">The current time in ticks.</param>
    /// <returns><see langword="true"/> when a limit rose (waiting requests may fit sooner).</returns>
    /// <remarks>
    /// <para>Our own reserve/settle accounting mirrors the server's and counts every request we sent, seen by the server or not.
    /// So a server figure (limit − remaining) at or below ours is explained by our own traffic and changes nothing; a lower one
    /// comes from timing (headers written before its own settle) and adopting it would risk a 429.</para>
    /// <para>A server figure above ours means someone else uses the organization's quota (another process, an earlier run).
    /// Then our count is raised to the server's plus the reservations admitted here after the answered one — those may still be
    /// on their way and missing from its figure. Adding them unconditionally would count twice every request the server did see
    /// (with many in flight, most of them: against the emulator this alone cost 5% of tokens/minute).</para>
    /// <para>A 429 body's <c>Used</c> is different: the server refused, so ours was too low; it is raised the same way.</para>
    /// </remarks>
    public bool Learn(in QuotaObservation observation, long now)
    {
        Advance(now);
        (long rpm, long rpd, long tpm, long tpd) = (_rpm.Limit, _rpd.Limit, _tpm.Limit, _tpd.Limit);

        // The reservations the answer has not seen are needed only when the server's figure is above ours: counted then,
        // not for every answer (counting walks the in-flight ledger, under the lock).
        (int Count, long Tokens)? unseen = null;

        if (observation.Headers is { } headers)
        {
            // *-requests are requests per DAY and *-tokens tokens per MINUTE, whatever the names suggest (§5.2).
            _learnt = _learnt with
            {
                RequestsPerDay = headers.LimitRequests is > 0 ? headers.LimitRequests : _learnt.RequestsPerDay,
                TokensPerMinute = headers.LimitTokens is > 0 ? headers.LimitTokens : _learnt.TokensPerMinute,
            };
            ApplyEffectiveLimits();
            if (ServerUsed(_rpd, headers.RemainingRequests, headers.ResetRequests) is { } requests && requests > _rpd.Used)
            {
                unseen ??= InFlightAfter(observation.ReservationId);
                _rpd.RaiseUsedTo(requests + unseen.Value.Count);
            }

            if (ServerUsed(_tpm, headers.RemainingTokens, headers.ResetTokens) is { } tokens && tokens > _tpm.Used)
            {
                unseen ??= InFlightAfter(observation.ReservationId);
                _tpm.RaiseUsedTo(tokens + unseen.Value.Tokens);
            }
        }

        if (observation.BodyLimit != GroqLimitKind.Unknown)
        {
            unseen ??= InFlightAfter(observation.ReservationId);
            LearnFromBody(observation, unseen.Value.Count, unseen.Value.Tokens);
        }

        return Rose(rpm, _rpm.Limit) || Rose(rpd, _rpd.Limit) || Rose(tpm, _tpm.Limit) || Rose(tpd, _tpd.Limit);

        static bool Rose(long before, long after) => before > 0 && after > before;
    }

    private void LearnFromBody(in QuotaObservation observation, int unseenRequests, long unseenTokens)
    {
        long? value = observation.BodyLimitValue is > 0 ? observation.BodyLimitValue : null;
        _learnt = observation.BodyLimit switch
        {
            GroqLimitKind.RequestsPerMinute => _learnt with { RequestsPerMinute = value ?? _learnt.RequestsPerMinute },
            GroqLimitKind.RequestsPerDay => _learnt with { RequestsPerDay = value ?? _learnt.RequestsPerDay },
            GroqLimitKind.TokensPerMinute => _learnt with { TokensPerMinute = value ?? _learnt.TokensPerMinute },
            GroqLimitKind.TokensPerDay => _learnt with { TokensPerDay = value ?? _learnt.TokensPerDay },
            _ => _learnt,
        };
        ApplyEffectiveLimits();
        if (observation.BodyUsed is not { } used)
        {
            return;
        }

        // "Used" excludes the rejected request, which the caller released before reporting.
        switch (observation.BodyLimit)
        {
            case GroqLimitKind.RequestsPerMinute:
                _rpm.RaiseUsedTo(used + unseenRequests);
                break;
            case GroqLimitKind.RequestsPerDay:
                _rpd.RaiseUsedTo(used + unseenRequests);
                break;
            case GroqLimitKind.TokensPerMinute:
                _tpm.RaiseUsedTo(used + unseenTokens);
                break;
            case GroqLimitKind.TokensPerDay:
                _tpd.RaiseUsedTo(used + unseenTokens);
                break;
        }
    }

    private static long? ServerUsed(in QuotaBucket bucket, long? remaining, TimeSpan? reset)
    {
        if (!bucket.IsLimited)
        {
            return null;
        }

        if (remaining is { } left)
        {
            return Math.Max(0, bucket.Limit - left);
        }

        // reset = used / limit × window, truncated to nanoseconds; a full bucket reports 1ms, so round to the nearest unit.
        if (reset is { } duration && duration > TimeSpan.Zero)
        {
            Int128 scaled = ((Int128)duration.Ticks * bucket.Limit) + (bucket.WindowTicks / 2);
            return (long)Int128.Min(scaled / bucket.WindowTicks, bucket.Limit);
        }

        return null;
    }
}
