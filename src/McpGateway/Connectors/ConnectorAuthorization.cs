namespace McpGateway.Connectors;

/// <summary>How the gateway authorizes its requests to one upstream MCP server (<c>Upstreams:Mcp:Servers:{name}:Authorization</c>).</summary>
internal enum ConnectorAuthorization
{
    /// <summary>The user's sign-in access token (the default, and the mode of the legacy <c>Upstreams:Mcp:Url</c>).</summary>
    Session,

    /// <summary>
    /// The server's own authorization, discovered per the MCP authorization specification (RFC 9728 protected-resource
    /// metadata, RFC 8414 / OpenID discovery); each user authorizes the server separately and gets a token meant for it.
    /// </summary>
    Discover,

    /// <summary>No <c>Authorization</c> header at all.</summary>
    None,
}
