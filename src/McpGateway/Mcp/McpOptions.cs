namespace McpGateway.Mcp;

/// <summary>The <c>Mcp</c> configuration section: limits of the browser bridge (WebSocket and Streamable HTTP).</summary>
internal sealed class McpOptions
{
    public const string SectionName = "Mcp";

    /// <summary>A browser frame larger than this closes the socket with 1009.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>Open sockets per user on one replica; one more is refused with 429 before the upgrade.</summary>
    public int MaxSocketsPerUser { get; set; } = 8;

    /// <summary>Requests of one socket in flight at once; one more gets a JSON-RPC error.</summary>
    public int MaxConcurrentRequestsPerSocket { get; set; } = 32;

    /// <summary>A socket with no message either way for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A request the upstream has not answered in this time gets a JSON-RPC timeout error.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Streamable HTTP sessions per user on one replica; one more <c>initialize</c> ends the user's session idle the longest (429 when all are busy).</summary>
    public int MaxHttpSessionsPerUser { get; set; } = 16;

    /// <summary>Standalone Streamable HTTP event streams (<c>GET /mcp</c>) open per user on one replica; one more is refused with 429.</summary>
    public int MaxStreamsPerUser { get; set; } = 8;

    /// <summary>
    /// On shutdown (SIGTERM), how long the requests in flight may take to finish before each socket is closed with
    /// 1001 (reconnect); meanwhile new requests get <see cref="BridgeErrorCodes.Draining"/>. Keep it below the host's shutdown timeout.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a WebSocket MCP session stays resumable (<c>?resume=</c> with the handle its <c>initialize</c> answer carried)
    /// after its socket was lost or its replica died; refreshed while the socket lives.
    /// </summary>
    public TimeSpan ResumeTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Interval of WebSocket keep-alive pings (and of SSE keep-alive comments), so proxies do not drop quiet sockets.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);
}
