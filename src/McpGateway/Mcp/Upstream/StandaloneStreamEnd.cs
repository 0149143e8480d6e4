namespace McpGateway.Mcp.Upstream;

/// <summary>Why a <see cref="StandaloneStreamReader"/> stopped.</summary>
internal enum StandaloneStreamEnd
{
    /// <summary>The session was closed by the gateway.</summary>
    Cancelled,

    /// <summary>The server answered 404: it no longer knows the session, which is over.</summary>
    SessionLost,

    /// <summary>The server offers no standalone stream (405).</summary>
    Refused,

    /// <summary>The stream kept failing; the session's requests still work.</summary>
    GaveUp,
}
