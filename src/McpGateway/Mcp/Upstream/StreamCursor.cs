using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Where the event stream of one upstream request has got to: the request whose answer is awaited, the id of the last
/// event seen (what a resumed stream asks for with <c>Last-Event-ID</c>), the server's retry interval, and whether
/// anything besides the answer was passed on.
/// </summary>
internal sealed class StreamCursor(RequestId? awaited, Action<string>? eventSeen = null, string? lastEventId = null)
{
    public RequestId? Awaited { get; } = awaited;

    public string? LastEventId { get; private set; } = lastEventId;

    public TimeSpan? RetryInterval { get; private set; }

    /// <summary>Messages other than the answer were passed on: the answer then follows them the same way, so it does not overtake them.</summary>
    public bool Forwarded { get; set; }

    /// <summary>Told of every event read, with or without an id (how a reader notices a stream gone silent).</summary>
    public Action? Heard { get; set; }

    public void Saw(string? eventId, TimeSpan? retry)
    {
        Heard?.Invoke();
        if (!string.IsNullOrEmpty(eventId) && eventId != LastEventId)
        {
            LastEventId = eventId;
            eventSeen?.Invoke(eventId);
        }

        if (retry is { } interval)
        {
            RetryInterval = interval;
        }
    }
}
