using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools;

/// <summary>
/// A tool the gateway executes itself, listed next to the upstream's tools. Bad input, refusals and
/// failures of what the tool talks to are results with <see cref="CallToolResult.IsError"/> set (MCP:
/// tool errors are results, not protocol errors); only cancellation by the caller throws.
/// </summary>
internal interface IGatewayTool
{
    /// <summary>Name, description and the JSON Schema of the arguments, as sent in <c>tools/list</c>.</summary>
    Tool Definition { get; }

    ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken);
}
