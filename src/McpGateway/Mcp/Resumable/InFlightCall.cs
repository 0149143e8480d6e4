using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Resumable;

/// <summary>
/// A browser request relayed to the upstream and not yet answered, as another replica needs it to deliver the answer:
/// the id the gateway gave it upstream, the browser's own id, and the id of an event of its stream (where a
/// <c>Last-Event-ID</c> GET resumes it).
/// </summary>
internal sealed record InFlightCall(long UpstreamId, RequestId BrowserId, string EventId);
