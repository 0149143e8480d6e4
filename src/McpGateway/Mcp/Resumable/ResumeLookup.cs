using McpGateway.Mcp.StreamableHttp;

namespace McpGateway.Mcp.Resumable;

/// <summary>The result of <see cref="SocketResumption.FindAsync"/>: the handle and binding only when <see cref="ResumeOutcome.Resumed"/>.</summary>
internal sealed record ResumeLookup(ResumeOutcome Outcome, string? Handle, McpSessionBinding? Binding);
