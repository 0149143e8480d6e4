using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGateway.Hosting.Logging;

/// <summary>
/// One category's console logger: the configured console formatter writes the line into a builder kept per thread, and
/// the line goes from there to the <see cref="ConsoleLineWriter"/> as UTF-8, without a string of its own.
/// </summary>
internal sealed class BatchedConsoleLogger(string category, BatchedConsoleLoggerProvider provider) : ILogger
{
    /// <summary>A builder grown past this (a long exception) is shrunk back after its line, as the framework's logger does.</summary>
    private const int KeptCapacity = 4096;

    [ThreadStatic]
    private static StringWriter? t_line;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.ScopeProvider?.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var line = t_line ??= new StringWriter(CultureInfo.InvariantCulture);
        var text = line.GetStringBuilder();
        try
        {
            provider.Formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), provider.ScopeProvider, line);
            if (text.Length > 0)
            {
                provider.WriterFor(logLevel).Write(text);
            }
        }
        finally
        {
            text.Clear();
            if (text.Capacity > KeptCapacity)
            {
                text.Capacity = KeptCapacity;
            }
        }
    }
}
