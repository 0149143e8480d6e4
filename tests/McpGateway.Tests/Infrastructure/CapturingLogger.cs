using System.Collections.Concurrent;

namespace McpGateway.Tests.Infrastructure;

/// <summary>Keeps every log entry, formatted and as structured values, so tests can check what reaches the logs.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.Select(pair => $"{pair.Key}={pair.Value}").ToArray()
            : [];
        Entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), values, exception));
    }

    /// <summary>Everything a log sink could write: messages, structured values and exceptions.</summary>
    public string AllText() => string.Join('\n', Entries.Select(entry => entry.Message + "\n" + string.Join('\n', entry.Values) + "\n" + entry.Exception));
}

internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message, IReadOnlyList<string> Values, Exception? Exception);
