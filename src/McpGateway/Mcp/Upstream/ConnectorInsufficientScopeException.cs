namespace McpGateway.Mcp.Upstream;

/// <summary>The connector's server answered 403 <c>insufficient_scope</c>: the user must authorize it again for <see cref="Scope"/>.</summary>
internal sealed class ConnectorInsufficientScopeException(string connector, string scope)
    : Exception($"The connector '{connector}' needs more scope: {scope}")
{
    public string Connector { get; } = connector;

    public string Scope { get; } = scope;
}
