using McpGateway.Sessions;

namespace McpGateway.Mcp;

/// <summary>Whose socket it is: the signed-in user and the session whose token goes upstream.</summary>
internal sealed record BridgeUser(string Subject, string? Name, SessionId Session);
