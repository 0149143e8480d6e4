using System.Collections.Concurrent;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Every log line a gateway wrote during a test, formatted with its category and exception.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => sink._lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
    }
}
