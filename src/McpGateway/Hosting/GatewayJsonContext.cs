using System.Text.Json;
using System.Text.Json.Serialization;
using McpGateway.Auth;
using McpGateway.Auth.Endpoints;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.Sessions;

namespace McpGateway.Hosting;

/// <summary>Source-generated JSON for every type the gateway reads or writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(HealthReportResponse))]
[JsonSerializable(typeof(SessionTokens))]
[JsonSerializable(typeof(ClientRegistrationRequest))]
[JsonSerializable(typeof(ClientRegistrationResponse))]
[JsonSerializable(typeof(StoredRegistration))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(ClientInfo))]
[JsonSerializable(typeof(LogoutResponse))]
[JsonSerializable(typeof(McpGateway.Storage.GatewayEvent))]
[JsonSerializable(typeof(McpGateway.Contexts.ConversationContext))]
[JsonSerializable(typeof(McpGateway.Contexts.StoreContextRequest))]
[JsonSerializable(typeof(McpGateway.Contexts.ContextUpdate))]
[JsonSerializable(typeof(McpGateway.Contexts.ContextList))]
[JsonSerializable(typeof(McpGateway.Mcp.Rest.ToolCallRequest))]
[JsonSerializable(typeof(McpGateway.Usage.UsageReport))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
