using System.Text.Json;
using McpGateway.Tools;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary>A gateway tool that answers with the subject and the arguments it was given.</summary>
internal sealed class EchoTool(string name) : IGatewayTool
{
    public Tool Definition { get; } = GatewayTools.Definition(name, "Echoes its arguments.");

    public ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken)
        => ValueTask.FromResult(ToolResults.Success($"{invocation.Subject}:{arguments.GetRawText()}"));
}
