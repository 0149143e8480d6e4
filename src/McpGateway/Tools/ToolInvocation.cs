namespace McpGateway.Tools;

/// <summary>Who calls a tool: the signed-in user's <c>sub</c>, for audit and logging.</summary>
internal sealed record ToolInvocation(string Subject);
