using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGateway.Connectors.Registration;

/// <summary>
/// The gateway as an OAuth client of MCP servers' authorization servers: the RFC 7591 registration body, and (with
/// <see cref="ClientId"/>) the Client ID Metadata Document served at <c>/connectors/client.json</c>. Its redirect URIs are
/// the callbacks of every discover-mode connector, so one client per authorization server serves all of them.
/// </summary>
internal sealed record ConnectorClientMetadata
{
    [JsonPropertyName("client_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientId { get; init; }

    [JsonPropertyName("client_name")]
    public required string ClientName { get; init; }

    [JsonPropertyName("client_uri")]
    public required string ClientUri { get; init; }

    [JsonPropertyName("redirect_uris")]
    public required IReadOnlyList<string> RedirectUris { get; init; }

    [JsonPropertyName("grant_types")]
    public IReadOnlyList<string> GrantTypes { get; init; } = ["authorization_code", "refresh_token"];

    [JsonPropertyName("response_types")]
    public IReadOnlyList<string> ResponseTypes { get; init; } = ["code"];

    [JsonPropertyName("token_endpoint_auth_method")]
    public required string TokenEndpointAuthMethod { get; init; }

    [JsonPropertyName("application_type")]
    public string ApplicationType { get; init; } = "web";

    /// <summary>A digest of the metadata, to notice that the configuration (connectors, origin) changed since registration.</summary>
    public string Digest()
        => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this with { ClientId = null }, ConnectorsJsonContext.Default.ConnectorClientMetadata)));
}
