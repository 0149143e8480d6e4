using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting.Logging;

/// <summary>
/// The gateway's console logger, in place of the framework's: the same configuration (<c>Logging:Console</c>, its
/// <c>LogLevel</c>, <c>FormatterName</c>, <c>FormatterOptions</c>, <c>LogToStandardErrorThreshold</c>,
/// <c>MaxQueueLength</c>, <c>QueueFullMode</c>) and the same formatters, so the same lines; what differs is the way out.
/// The framework's logger makes a string of every line and one write call per line from its queue's thread; this one
/// encodes the formatter's output straight into a buffer that one thread writes in batches (<see cref="ConsoleLineWriter"/>).
/// At one audit line per tool call, that was a large share of a relayed call's CPU.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    /// <summary>What <c>MaxQueueLength</c> (counted in lines) allows per line in the byte-counted buffer.</summary>
    public const int BytesPerQueuedLine = 1024;

    private readonly ConcurrentDictionary<string, BatchedConsoleLogger> _loggers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsoleFormatter> _formatters;
    private readonly IDisposable? _reload;
    private readonly Lazy<ConsoleLineWriter> _standardOutput;
    private readonly Lazy<ConsoleLineWriter> _standardError;
    private ConsoleLoggerOptions _options;

    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, Console.OpenStandardOutput, Console.OpenStandardError)
    {
    }

    /// <summary>With the streams written to given (the tests').</summary>
    public BatchedConsoleLoggerProvider(
        IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, Func<Stream> standardOutput, Func<Stream> standardError)
    {
        _formatters = formatters.ToDictionary(formatter => formatter.Name, StringComparer.OrdinalIgnoreCase);
        _options = options.CurrentValue;
        Formatter = Pick(_options);
        _reload = options.OnChange(changed =>
        {
            _options = changed;
            Formatter = Pick(changed);
        });
        var initial = options.CurrentValue;
        var capacity = (int)Math.Min(int.MaxValue, Math.Max(1L, initial.MaxQueueLength) * BytesPerQueuedLine);
        var drop = initial.QueueFullMode == ConsoleLoggerQueueFullMode.DropWrite;
        _standardOutput = new(() => new ConsoleLineWriter(standardOutput(), capacity, drop));
        _standardError = new(() => new ConsoleLineWriter(standardError(), capacity, drop));
    }

    internal ConsoleFormatter Formatter { get; private set; }

    internal IExternalScopeProvider? ScopeProvider { get; private set; }

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, static (name, provider) => new BatchedConsoleLogger(name, provider), this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => ScopeProvider = scopeProvider;

    /// <summary>Standard error for levels at or above <c>LogToStandardErrorThreshold</c>, standard output for the rest.</summary>
    internal ConsoleLineWriter WriterFor(LogLevel level) => level >= _options.LogToStandardErrorThreshold ? _standardError.Value : _standardOutput.Value;

    public void Dispose()
    {
        _reload?.Dispose();
        if (_standardOutput.IsValueCreated)
        {
            _standardOutput.Value.Dispose();
        }

        if (_standardError.IsValueCreated)
        {
            _standardError.Value.Dispose();
        }
    }

    /// <summary>The named formatter, or the simple one as the framework's logger falls back to for a name it does not know.</summary>
    private ConsoleFormatter Pick(ConsoleLoggerOptions options)
        => options.FormatterName is { } name && _formatters.TryGetValue(name, out var named) ? named : _formatters[ConsoleFormatterNames.Simple];
}
