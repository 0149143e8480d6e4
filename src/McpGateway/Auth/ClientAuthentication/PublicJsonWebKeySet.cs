using System.Text.Json.Serialization;

namespace McpGateway.Auth.ClientAuthentication;

/// <summary>An RFC 7517 JWK Set holding the client's public signing key.</summary>
internal sealed record PublicJsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);
