using System.Text.Json.Serialization;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// In a routed session's binding (<see cref="McpSessionBinding.Connectors"/>): one connector's upstream session, which a
/// resumed socket joins instead of opening a new one, and the revision that server negotiated.
/// </summary>
internal sealed record ConnectorSessionBinding
{
    [JsonPropertyName("session")]
    public required string SessionId { get; init; }

    [JsonPropertyName("protocol_version")]
    public string? ProtocolVersion { get; init; }

    /// <summary>Whether two connector maps name the same sessions (a missing map and an empty one are the same).</summary>
    public static bool Same(IReadOnlyDictionary<string, ConnectorSessionBinding>? left, IReadOnlyDictionary<string, ConnectorSessionBinding>? right)
    {
        var (a, b) = (left ?? Empty, right ?? Empty);
        return a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && other == pair.Value);
    }

    private static readonly IReadOnlyDictionary<string, ConnectorSessionBinding> Empty = new Dictionary<string, ConnectorSessionBinding>();
}
