namespace McpGateway.Mcp;

/// <summary>
/// JSON-RPC error codes of the gateway itself, in the implementation-defined server-error range
/// (-32000 to -32099), beside the standard -32700 / -32600 / -32601 / -32602 / -32603, and avoiding
/// the codes MCP gives a meaning (-32002, -32020 to -32022, -32042).
/// </summary>
internal static class BridgeErrorCodes
{
    /// <summary>The MCP upstream cannot be reached or failed; the socket stays open, retry later.</summary>
    public const int UpstreamUnavailable = -32000;

    /// <summary>The upstream did not answer within <see cref="McpOptions.RequestTimeout"/>.</summary>
    public const int RequestTimeout = -32001;

    /// <summary>More requests in flight than <see cref="McpOptions.MaxConcurrentRequestsPerSocket"/> (not -32002: MCP's ResourceNotFound).</summary>
    public const int TooManyRequests = -32005;

    /// <summary>The request was cancelled (by the browser, or because the socket closed).</summary>
    public const int Cancelled = -32003;

    /// <summary>Streamable HTTP: the <c>Mcp-Session-Id</c> names no session of the caller (HTTP 404); start a new one with initialize.</summary>
    public const int SessionNotFound = -32006;

    /// <summary>The gateway is shutting down (draining): send the request again on a new connection, which another replica takes.</summary>
    public const int Draining = -32007;

    /// <summary>The user's tool-call budget (<c>RateLimits:Tools</c>) is spent; <c>data.retryAfter</c> says when to retry, in seconds.</summary>
    public const int RateLimited = -32004;

    /// <summary>
    /// The request is for a connector the user has not authorized (or whose authorization lapsed). <c>data</c> is
    /// <c>{connector, state: "authorization_required", authorize: "/api/connectors/{name}/authorize"}</c>.
    /// </summary>
    public const int ConnectorAuthorizationRequired = -32008;

    /// <summary>
    /// The connector answered 403 <c>insufficient_scope</c> (step-up): <c>data</c> is
    /// <c>{connector, state: "insufficient_scope", scope, authorize: "/api/connectors/{name}/authorize"}</c>; authorizing again asks for the scope.
    /// </summary>
    public const int ConnectorInsufficientScope = -32009;
}
