namespace McpGateway.Mcp.StreamableHttp.Resumption;

/// <summary>
/// What the log holds of one stream after a given event: the events (sequence, serialized JSON-RPC message) in order,
/// and whether the stream has ended (its response is among them, or it never will be).
/// </summary>
internal sealed record McpEventPage(IReadOnlyList<(long Sequence, byte[] Message)> Events, bool Ended)
{
    public static readonly McpEventPage Unknown = new([], Ended: true) { Exists = false };

    /// <summary>False when the log knows no such stream (never written, or expired).</summary>
    public bool Exists { get; init; } = true;
}
