using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpGateway.Mcp.Rest;

/// <summary>The body of <c>POST /api/tools/{name}/call</c>: <c>{"arguments": {...}}</c>.</summary>
internal sealed record ToolCallRequest([property: JsonPropertyName("arguments")] JsonObject? Arguments);
