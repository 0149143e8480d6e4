using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace McpGateway.Hosting.Telemetry;

/// <summary>
/// The gateway's own traces (one span per MCP request, per tool call, per token refresh) and metrics.
/// Tag values are bounded (method names, outcomes, tool names), never user data.
/// </summary>
internal sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "McpGateway";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;

    public GatewayTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        SocketsOpen = _meter.CreateUpDownCounter<long>("mcpgw.sockets.open", "{socket}", "Bridged browser WebSockets open on this replica.");
        McpRequests = _meter.CreateCounter<long>("mcpgw.mcp.requests", "{request}", "MCP requests from browsers, by method and outcome.");
        McpRequestDuration = _meter.CreateHistogram<double>("mcpgw.mcp.request.duration", "s", "Time to answer an MCP request from a browser.");
        ToolCalls = _meter.CreateCounter<long>("mcpgw.tool.calls", "{call}", "Tool calls by tool, where they ran (gateway or upstream) and outcome.");
        ToolCallDuration = _meter.CreateHistogram<double>("mcpgw.tool.call.duration", "s", "Duration of tool calls.");
        TokenRefreshes = _meter.CreateCounter<long>("mcpgw.token.refreshes", "{refresh}", "Access-token refreshes at the authorization server, by outcome.");
        ProxyDuration = _meter.CreateHistogram<double>("mcpgw.proxy.duration", "s", "Duration of proxied chat calls, by status code.");
    }

    public UpDownCounter<long> SocketsOpen { get; }

    public Counter<long> McpRequests { get; }

    public Histogram<double> McpRequestDuration { get; }

    public Counter<long> ToolCalls { get; }

    public Histogram<double> ToolCallDuration { get; }

    public Counter<long> TokenRefreshes { get; }

    public Histogram<double> ProxyDuration { get; }

    /// <summary>Registers a gauge observed at every scrape (active sessions, registration state).</summary>
    public void Observe<T>(string name, string unit, string description, Func<Measurement<T>> observe) where T : struct
        => _meter.CreateObservableGauge(name, observe, unit, description);

    public void RecordMcpRequest(string method, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "mcp.method", method }, { "outcome", outcome } };
        McpRequests.Add(1, tags);
        McpRequestDuration.Record(duration.TotalSeconds, tags);
    }

    public void RecordToolCall(string tool, string origin, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "tool", tool }, { "origin", origin }, { "outcome", outcome } };
        ToolCalls.Add(1, tags);
        ToolCallDuration.Record(duration.TotalSeconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}
