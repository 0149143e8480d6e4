namespace McpGateway.Connectors.Discovery;

/// <summary>Discovery of a connector's authorization failed; the message says which step and why (no secret in it).</summary>
internal sealed class ConnectorDiscoveryException(string message, Exception? inner = null) : Exception(message, inner);
