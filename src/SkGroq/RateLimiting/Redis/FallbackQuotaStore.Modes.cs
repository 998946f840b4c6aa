using SkGroq.Redis;

namespace SkGroq.RateLimiting.Redis;

/// <content>Going to the fallback when the shared store fails, and back once its connection is restored.</content>
internal sealed partial class FallbackQuotaStore
{
    private FallbackMode CurrentMode()
    {
        FallbackMode mode = _mode;
        if (mode == FallbackMode.Local)
        {
            // Checked on each call instead of polled: a request (or a queue's timer) is what needs the answer.
            if (_shared.IsConnected && Interlocked.CompareExchange(ref _rejoinRunning, 1, 0) == 0)
            {
                _ = RejoinAsync();

                // It may have finished already (or at least switched to rejoining).
                mode = _mode;
            }
        }
        else if (mode == FallbackMode.Rejoining)
        {
            long started = Volatile.Read(ref _rejoinStarted);
            if (started != 0 && _timeProvider.GetElapsedTime(started) >= _rejoinPeriod)
            {
                bool resumed;
                lock (_gate)
                {
                    resumed = _mode == FallbackMode.Rejoining && _rejoinStarted == started;
                    if (resumed)
                    {
                        _mode = FallbackMode.Shared;
                    }
                }

                if (resumed)
                {
                    Log.SharedResumed(_logger, _shared.Description);
                }
            }

            mode = _mode;
        }

        return mode;
    }

    private void OnUnavailable(Exception exception)
    {
        bool entered;
        lock (_gate)
        {
            entered = _mode != FallbackMode.Local;
            if (entered)
            {
                // A new share per outage, seeded from the shared usage last seen; one interrupted while rejoining is kept (it holds this instance's usage).
                if (_policy == RedisFallbackPolicy.LocalShare && (_mode == FallbackMode.Shared || _share is null))
                {
                    _share = new LocalQuotaShare(_shared, _instances, _timeProvider);
                }

                _mode = FallbackMode.Local;
                _outages++;
            }
        }

        if (!entered)
        {
            return;
        }

        if (_policy == RedisFallbackPolicy.LocalShare)
        {
            Log.LocalShare(_logger, _shared.Description, exception.Message, _instances);
        }
        else
        {
            Log.FailClosed(_logger, _shared.Description, exception.Message);
        }
    }

    private async Task RejoinAsync()
    {
        try
        {
            LocalQuotaShare? share;
            lock (_gate)
            {
                if (_mode != FallbackMode.Local)
                {
                    return;
                }

                // Admissions are already bounded by both while the local usage is merged (the merge only ever raises usage).
                share = ShareOrNull();
                _mode = share is null ? FallbackMode.Shared : FallbackMode.Rejoining;
                _rejoinStarted = 0;
            }

            // Merge first, then replay: the share's usage still holds what shared reservations reserved, and a refund replayed
            // before the merge would be raised away again.
            int merged = 0;
            if (share is not null)
            {
                foreach (QuotaKey key in share.Keys)
                {
                    QuotaFigures used = share.GetOrganizationUsage(key, out QuotaFigures limits);
                    await _shared.AbsorbAsync(key, used, limits).ConfigureAwait(false);
                    merged++;
                }
            }

            // Until empty: a settlement that saw the local state just before the switch may still arrive.
            int replayed = 0;
            while (!_pending.IsEmpty)
            {
                foreach (KeyValuePair<QuotaReservation, long> pending in _pending)
                {
                    _ = pending.Value < 0
                        ? await _shared.ReleaseAsync(pending.Key).ConfigureAwait(false)
                        : await _shared.SettleAsync(pending.Key, pending.Value).ConfigureAwait(false);
                    _pending.TryRemove(pending);
                    replayed++;
                }
            }

            lock (_gate)
            {
                if (_mode == FallbackMode.Rejoining)
                {
                    if (_rejoinPeriod > TimeSpan.Zero)
                    {
                        _rejoinStarted = Math.Max(1, _timeProvider.GetTimestamp());
                    }
                    else
                    {
                        _mode = FallbackMode.Shared;
                    }
                }

                _rejoins++;
            }

            Log.Rejoined(_logger, _shared.Description, merged, replayed, share is null ? 0 : _rejoinPeriod.TotalSeconds);
        }
        catch (Exception exception) when (_shared.IsUnavailable(exception))
        {
            OnUnavailable(exception);
            Log.RejoinFailed(_logger, _shared.Description, exception.Message);
        }
        catch (Exception exception)
        {
            // Nobody awaits this: log instead of an unobserved exception, and stay local (the next call tries again).
            OnUnavailable(exception);
            Log.RejoinError(_logger, _shared.Description, exception);
        }
        finally
        {
            Volatile.Write(ref _rejoinRunning, 0);
        }
    }
}
