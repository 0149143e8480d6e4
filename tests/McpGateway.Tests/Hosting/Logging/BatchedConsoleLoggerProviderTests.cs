using System.Text.Json;
using McpGateway.Hosting.Logging;
using McpGateway.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Hosting.Logging;

public sealed class BatchedConsoleLoggerProviderTests
{
    [Fact]
    public void With_the_json_formatter_a_line_carries_the_message_its_values_and_the_scopes()
    {
        using var services = Services(new() { ["Logging:Console:FormatterName"] = "json", ["Logging:Console:FormatterOptions:IncludeScopes"] = "true" });
        var console = new CapturedStream();
        using (var factory = Factory(services, console, new CapturedStream()))
        {
            var logger = factory.CreateLogger("McpGateway.Tools.ToolRegistry");
            using (logger.BeginScope(new Dictionary<string, object?> { ["SocketId"] = "b82bae223f1c" }))
            {
                ToolsLog.ToolCalled(logger, "hugo", "calculator", "ok", 3);
            }
        }

        using var line = JsonDocument.Parse(console.Text.TrimEnd('\n'));
        var root = line.RootElement;
        Assert.Equal("hugo called tool calculator: ok in 3 ms.", root.GetProperty("Message").GetString());
        Assert.Equal(5002, root.GetProperty("EventId").GetInt32());
        Assert.Equal("McpGateway.Tools.ToolRegistry", root.GetProperty("Category").GetString());
        Assert.Equal("hugo", root.GetProperty("State").GetProperty("Subject").GetString());
        Assert.Equal(3, root.GetProperty("State").GetProperty("ElapsedMs").GetInt64());
        Assert.Contains(root.GetProperty("Scopes").EnumerateArray(), scope => scope.TryGetProperty("SocketId", out var id) && id.GetString() == "b82bae223f1c");
        Assert.EndsWith("\n", console.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Levels_at_or_above_the_standard_error_threshold_go_to_standard_error_and_the_rest_to_standard_output()
    {
        using var services = Services(new() { ["Logging:Console:FormatterName"] = "simple", ["Logging:Console:LogToStandardErrorThreshold"] = "Error" });
        var output = new CapturedStream();
        var error = new CapturedStream();
        using (var factory = Factory(services, output, error))
        {
            var logger = factory.CreateLogger("Test");
            ToolsLog.ToolCalled(logger, "hugo", "calculator", "ok", 3);
            ToolsLog.ToolFailed(logger, "file_read", "hugo", new InvalidOperationException("disk on fire"));
        }

        Assert.Contains("hugo called tool calculator", output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("disk on fire", output.Text, StringComparison.Ordinal);
        Assert.Contains("Tool file_read failed unexpectedly for hugo.", error.Text, StringComparison.Ordinal);
        Assert.Contains("disk on fire", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("called tool", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void In_place_of_the_frameworks_console_provider_it_keeps_the_levels_configured_for_the_console()
    {
        using var services = Services(new() { ["Logging:LogLevel:Default"] = "Information", ["Logging:Console:LogLevel:Default"] = "Warning" });
        var providers = services.GetServices<ILoggerProvider>().ToList();
        Assert.Contains(providers, provider => provider is BatchedConsoleLoggerProvider);
        Assert.DoesNotContain(providers, provider => provider is ConsoleLoggerProvider);

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Test");
        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void Where_the_host_added_no_console_provider_none_is_added()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.UseBatchedConsole());
        using var provider = services.BuildServiceProvider();
        Assert.Empty(provider.GetServices<ILoggerProvider>());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole().UseBatchedConsole());
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// A logger factory over a provider built from the services' console options and formatters, writing to the given
    /// streams; disposing it disposes the provider, which writes what is queued.
    /// </summary>
    private static LoggerFactory Factory(ServiceProvider services, CapturedStream output, CapturedStream error)
    {
        var provider = new BatchedConsoleLoggerProvider(
            services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), () => output, () => error);
        var factory = new LoggerFactory([], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        factory.AddProvider(provider);
        return factory;
    }
}
