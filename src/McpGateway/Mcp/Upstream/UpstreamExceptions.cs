namespace McpGateway.Mcp.Upstream;

/// <summary>The upstream server no longer knows the MCP session (404, or an unknown session id): start a new one.</summary>
internal sealed class UpstreamSessionLostException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The upstream server cannot be reached, timed out or failed; the message is safe to show the user.</summary>
internal sealed class UpstreamUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The user's session ended while the socket was open: no token can be attached any more.</summary>
internal sealed class SessionEndedException(string message) : Exception(message);
