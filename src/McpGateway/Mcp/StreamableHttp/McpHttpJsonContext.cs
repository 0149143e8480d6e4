using System.Text.Json.Serialization;

namespace McpGateway.Mcp.StreamableHttp;

[JsonSerializable(typeof(McpSessionBinding))]
internal sealed partial class McpHttpJsonContext : JsonSerializerContext;
