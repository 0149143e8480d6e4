using System.Text.Json;
using System.Text.Json.Serialization;
using McpGateway.Connectors.Authorization;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Endpoints;
using McpGateway.Connectors.Registration;
using McpGateway.Connectors.Tokens;

namespace McpGateway.Connectors;

/// <summary>Source-generated JSON for the connector feature's wire and storage types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProtectedResourceMetadata))]
[JsonSerializable(typeof(AuthorizationServerMetadata))]
[JsonSerializable(typeof(ConnectorClientMetadata))]
[JsonSerializable(typeof(ConnectorTokens))]
[JsonSerializable(typeof(PendingAuthorization))]
[JsonSerializable(typeof(ConnectorList))]
[JsonSerializable(typeof(AuthorizeConnectorRequest))]
[JsonSerializable(typeof(AuthorizeConnectorResponse))]
[JsonSerializable(typeof(DisconnectConnectorResponse))]
internal sealed partial class ConnectorsJsonContext : JsonSerializerContext;
