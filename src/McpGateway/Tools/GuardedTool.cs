using System.Text.Json;
using McpGateway.Hosting.Telemetry;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools;

/// <summary>
/// Wraps every registered tool: logs who called it, the outcome and the duration, and turns an
/// unexpected exception into an error result without internals, so a tool bug never kills a socket.
/// </summary>
internal sealed class GuardedTool(IGatewayTool inner, TimeProvider time, ILogger logger, GatewayTelemetry? telemetry = null) : IGatewayTool
{
    public Tool Definition => inner.Definition;

    public async ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var name = inner.Definition.Name;
        using var activity = GatewayTelemetry.Source.StartActivity("tool " + name);
        CallToolResult result;
        try
        {
            result = await inner.InvokeAsync(arguments, invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(name, invocation, "cancelled", started);
            throw;
        }
#pragma warning disable CA1031 // The guard's purpose: no tool failure escapes as an exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ToolsLog.ToolFailed(logger, name, invocation.Subject, ex);
            result = ToolResults.Error($"The tool '{name}' failed unexpectedly. The failure has been logged.");
        }

        Record(name, invocation, result.IsError == true ? "error" : "ok", started);
        activity?.SetTag("outcome", result.IsError == true ? "error" : "ok");
        return result;
    }

    /// <summary>The audit line (user, tool, outcome, duration; never the arguments) and the metrics.</summary>
    private void Record(string name, ToolInvocation invocation, string outcome, long started)
    {
        var elapsed = time.GetElapsedTime(started);
        ToolsLog.ToolCalled(logger, invocation.Subject, name, outcome, (long)elapsed.TotalMilliseconds);
        telemetry?.RecordToolCall(name, "gateway", outcome, elapsed);
    }
}
