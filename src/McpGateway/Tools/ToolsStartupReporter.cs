using McpGateway.Tools.FileRead;
using McpGateway.Tools.WebSearch;
using Microsoft.Extensions.Options;

namespace McpGateway.Tools;

/// <summary>Says at start-up which gateway tools are available and why any is not.</summary>
internal sealed class ToolsStartupReporter(
    ToolRegistry registry,
    IOptions<FileReadOptions> fileRead,
    IOptions<WebSearchOptions> webSearch,
    ILogger<ToolsStartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ToolsLog.ToolsAvailable(logger, string.Join(", ", registry.Tools.Select(tool => tool.Definition.Name)));
        if (!fileRead.Value.IsEnabled)
        {
            ToolsLog.ToolDisabled(logger, FileReadTool.Name, "Tools:FileRead:Root");
        }

        if (!webSearch.Value.IsEnabled)
        {
            ToolsLog.ToolDisabled(logger, WebSearchTool.Name, "Tools:WebSearch:Url");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
