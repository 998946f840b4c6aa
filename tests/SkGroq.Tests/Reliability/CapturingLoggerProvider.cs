using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SkGroq.Tests.Reliability;

/// <summary>Keeps everything logged at any level: the message, every structured value and the exception with its inner ones.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            entries.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new StringBuilder().Append(category).Append(' ').Append(logLevel).Append(' ').Append(eventId.Name).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (KeyValuePair<string, object?> value in values)
                {
                    entry.Append(" | ").Append(value.Key).Append('=').Append(value.Value);
                }
            }

            if (exception is not null)
            {
                entry.Append(" | ").Append(exception);
            }

            entries.Enqueue(entry.ToString());
        }
    }
}
