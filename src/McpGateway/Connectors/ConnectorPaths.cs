namespace McpGateway.Connectors;

/// <summary>The gateway's own URLs of the connector flow.</summary>
internal static class ConnectorPaths
{
    public const string ClientMetadataDocument = "/connectors/client.json";

    public static string Callback(string connector) => $"/connectors/{Uri.EscapeDataString(connector)}/callback";

    public static string Authorize(string connector) => $"/api/connectors/{Uri.EscapeDataString(connector)}/authorize";
}
