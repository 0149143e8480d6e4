using System.Text.Json.Serialization;

namespace McpGateway.Connectors.Discovery;

/// <summary>OAuth 2.0 Protected Resource Metadata (RFC 9728 §2), the fields the gateway uses.</summary>
internal sealed record ProtectedResourceMetadata
{
    [JsonPropertyName("resource")]
    public string? Resource { get; init; }

    [JsonPropertyName("authorization_servers")]
    public IReadOnlyList<string>? AuthorizationServers { get; init; }

    [JsonPropertyName("scopes_supported")]
    public IReadOnlyList<string>? ScopesSupported { get; init; }

    [JsonPropertyName("bearer_methods_supported")]
    public IReadOnlyList<string>? BearerMethodsSupported { get; init; }
}
