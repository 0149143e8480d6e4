using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Resumable;

/// <summary>
/// A browser request relayed to the upstream and not yet answered, as another replica needs it to deliver the answer:
/// which call it is upstream (<see cref="InFlightCallKey"/>), the browser's own id, and the id of an event of its stream
/// (where a <c>Last-Event-ID</c> GET resumes it).
/// </summary>
internal sealed record InFlightCall(InFlightCallKey Key, RequestId BrowserId, string EventId);
