using System.Text.Json.Serialization;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// What another replica needs to resume a Streamable HTTP session, or a WebSocket session (by its resume handle), it does not hold: whose it is, the
/// upstream session it is bridged to (or, behind the connector router, each connector's), the negotiated revision, and the client's initialize params
/// (replayed if the upstream ever loses the session). Never the session's id itself.
/// </summary>
internal sealed record McpSessionBinding
{
    [JsonPropertyName("owner")]
    public required string OwnerKey { get; init; }

    [JsonPropertyName("sub")]
    public required string Subject { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("upstream_session")]
    public string? UpstreamSessionId { get; init; }

    [JsonPropertyName("protocol_version")]
    public string? ProtocolVersion { get; init; }

    [JsonPropertyName("initialize")]
    public required string InitializeParams { get; init; }

    /// <summary>WebSocket sessions: the gateway's answer to <c>initialize</c> (without the resume handle), replayed to a resumed socket.</summary>
    [JsonPropertyName("initialize_result")]
    public string? InitializeResult { get; init; }

    /// <summary>
    /// WebSocket sessions behind the connector router: each connector's upstream session by connector name (a connector
    /// without one, e.g. not yet authorized, is missing: it opens a new session when it is used). Absent for one server.
    /// </summary>
    [JsonPropertyName("connectors")]
    public IReadOnlyDictionary<string, ConnectorSessionBinding>? Connectors { get; init; }
}
