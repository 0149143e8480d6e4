namespace McpGateway.Connectors;

/// <summary>The user must authorize <see cref="Connector"/> at its own authorization server before the gateway can reach it.</summary>
internal sealed class ConnectorAuthorizationRequiredException(string connector, string reason)
    : Exception($"The connector '{connector}' needs authorization: {reason}")
{
    public string Connector { get; } = connector;

    public string Reason { get; } = reason;
}
