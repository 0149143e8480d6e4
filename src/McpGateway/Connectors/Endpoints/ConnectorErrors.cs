namespace McpGateway.Connectors.Endpoints;

/// <summary>The error codes of the connector endpoints (in the gateway's <c>{error, error_description}</c> shape).</summary>
internal static class ConnectorErrors
{
    public const string NotFound = "connector_not_found";
    public const string NotAuthorizable = "not_authorizable";
    public const string DiscoveryFailed = "connector_discovery_failed";
}
