using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SkGroq.Tests.Usage;

/// <summary>A logger factory that lets a test await log events by name (a signal, instead of polling or sleeping).</summary>
internal sealed class SignalingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<(string Name, int Count, TaskCompletionSource Signal)> _waiters = [];

    public Task WaitForAsync(string eventName, int count)
    {
        lock (_lock)
        {
            if (_counts.GetValueOrDefault(eventName) >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((eventName, count, signal));
            return signal.Task.WaitAsync(TestContext.Current.CancellationToken);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Seen(string eventName)
    {
        lock (_lock)
        {
            int count = _counts.AddOrUpdate(eventName, 1, static (_, c) => c + 1);
            foreach ((string name, int wanted, TaskCompletionSource signal) in _waiters.Where(w => w.Name == eventName && count >= w.Count).ToList())
            {
                signal.TrySetResult();
                _waiters.Remove((name, wanted, signal));
            }
        }
    }

    private sealed class Logger(SignalingLoggerFactory factory) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name)
            {
                factory.Seen(name);
            }
        }
    }
}
