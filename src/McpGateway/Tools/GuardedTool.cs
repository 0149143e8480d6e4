using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools;

/// <summary>
/// Wraps every registered tool: logs who called it, the outcome and the duration, and turns an
/// unexpected exception into an error result without internals, so a tool bug never kills a socket.
/// </summary>
internal sealed class GuardedTool(IGatewayTool inner, TimeProvider time, ILogger logger) : IGatewayTool
{
    public Tool Definition => inner.Definition;

    public async ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var name = inner.Definition.Name;
        CallToolResult result;
        try
        {
            result = await inner.InvokeAsync(arguments, invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ToolsLog.ToolCalled(logger, invocation.Subject, name, "cancelled", Elapsed(started));
            throw;
        }
#pragma warning disable CA1031 // The guard's purpose: no tool failure escapes as an exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ToolsLog.ToolFailed(logger, name, invocation.Subject, ex);
            result = ToolResults.Error($"The tool '{name}' failed unexpectedly. The failure has been logged.");
        }

        ToolsLog.ToolCalled(logger, invocation.Subject, name, result.IsError == true ? "error" : "ok", Elapsed(started));
        return result;
    }

    private long Elapsed(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
