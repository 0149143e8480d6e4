using System.Text.Json.Serialization;

namespace McpGateway.Connectors.Endpoints;

/// <summary>One connector as <c>GET /api/connectors</c> shows it to the signed-in user.</summary>
internal sealed record ConnectorStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("authorization")] string Authorization,
    [property: JsonPropertyName("toolPrefix")] string ToolPrefix,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string? Reason)
{
    public const string Connected = "connected";
    public const string AuthorizationRequired = "authorization_required";
    public const string Unavailable = "unavailable";
}

/// <summary>The body of <c>GET /api/connectors</c>.</summary>
internal sealed record ConnectorList([property: JsonPropertyName("connectors")] IReadOnlyList<ConnectorStatus> Connectors);

/// <summary>The optional body of <c>POST /api/connectors/{name}/authorize</c>.</summary>
internal sealed record AuthorizeConnectorRequest([property: JsonPropertyName("returnUrl")] string? ReturnUrl);

/// <summary>Where to send the browser: the connector's authorization endpoint with the whole request.</summary>
internal sealed record AuthorizeConnectorResponse([property: JsonPropertyName("url")] string Url);

/// <summary>The answer of <c>DELETE /api/connectors/{name}</c>.</summary>
internal sealed record DisconnectConnectorResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State);
