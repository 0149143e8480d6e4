using Microsoft.Extensions.Logging.Console;

namespace McpGateway.Hosting.Logging;

/// <summary>Puts the gateway's batched console logger where the host registered the framework's.</summary>
internal static class LoggingSetup
{
    /// <summary>
    /// Replaces the framework's console logger provider, when the host added one, by <see cref="BatchedConsoleLoggerProvider"/>;
    /// the formatters and the options bound from <c>Logging:Console</c> that the host registered with it stay.
    /// </summary>
    public static ILoggingBuilder UseBatchedConsole(this ILoggingBuilder logging)
    {
        var framework = logging.Services.Where(descriptor => descriptor.ServiceType == typeof(ILoggerProvider) && descriptor.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        if (framework.Count == 0)
        {
            return logging;
        }

        foreach (var descriptor in framework)
        {
            logging.Services.Remove(descriptor);
        }

        logging.Services.AddSingleton<ILoggerProvider, BatchedConsoleLoggerProvider>();
        return logging;
    }
}
