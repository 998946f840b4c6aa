using Microsoft.Extensions.Logging;

namespace SkGroq.QuotaWorker;

/// <summary>Turns SkGroq's Redis and quota log events into <c>EVENT</c> lines, and writes warnings and errors to stderr.</summary>
internal sealed class EventLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new EventLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class EventLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (category.StartsWith("SkGroq.Redis", StringComparison.Ordinal) || category.StartsWith("SkGroq.RateLimiting.Redis", StringComparison.Ordinal) || eventId.Name == "QuotaServerRejected")
            {
                WorkerOutput.Line($"EVENT {eventId.Name}");
            }

            if (logLevel >= LogLevel.Warning)
            {
                Console.Error.WriteLine($"{logLevel}: {category}[{eventId.Name}] {formatter(state, exception)} {exception?.Message}");
            }
        }
    }
}
