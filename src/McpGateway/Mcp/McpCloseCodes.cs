using System.Net.WebSockets;

namespace McpGateway.Mcp;

/// <summary>How the gateway closes a browser socket, and why (the reason text is sent along).</summary>
internal static class McpCloseCodes
{
    /// <summary>The session ended (logout, back-channel logout, refresh refused): sign in again.</summary>
    public const WebSocketCloseStatus SessionEnded = (WebSocketCloseStatus)4401;

    /// <summary>Nothing was sent either way for <see cref="McpOptions.IdleTimeout"/>.</summary>
    public const WebSocketCloseStatus IdleTimeout = (WebSocketCloseStatus)4408;

    /// <summary>The gateway is shutting down: reconnect (another replica will answer).</summary>
    public const WebSocketCloseStatus GoingAway = WebSocketCloseStatus.EndpointUnavailable;

    /// <summary>The <c>?resume=</c> handle belongs to another sign-in session: connect again without it.</summary>
    public const WebSocketCloseStatus ResumeRefused = (WebSocketCloseStatus)4403;

    /// <summary>A frame exceeded <see cref="McpOptions.MaxFrameBytes"/>.</summary>
    public const WebSocketCloseStatus TooBig = WebSocketCloseStatus.MessageTooBig;
}
