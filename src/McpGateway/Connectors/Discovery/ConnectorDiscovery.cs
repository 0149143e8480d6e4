namespace McpGateway.Connectors.Discovery;

/// <summary>What discovery found for one connector: its resource identifier, its authorization server, and the scopes to ask for.</summary>
internal sealed record ConnectorDiscovery(
    Uri Resource,
    Uri Issuer,
    AuthorizationServerMetadata AuthorizationServer,
    IReadOnlyList<string> ScopesSupported,
    string? ChallengeScope)
{
    public string TokenEndpoint => AuthorizationServer.TokenEndpoint!;

    public string AuthorizationEndpoint => AuthorizationServer.AuthorizationEndpoint!;

    public string? RevocationEndpoint => AuthorizationServer.RevocationEndpoint;
}
