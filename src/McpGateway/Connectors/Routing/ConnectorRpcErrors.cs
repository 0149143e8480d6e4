using System.Text.Json.Nodes;
using McpGateway.Connectors.Endpoints;
using McpGateway.Mcp;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol.Protocol;

namespace McpGateway.Connectors.Routing;

/// <summary>The JSON-RPC errors and list states of a connector that failed a request, naming it and how to authorize it.</summary>
internal static class ConnectorRpcErrors
{
    public const string InsufficientScope = "insufficient_scope";

    /// <returns>The error to answer <paramref name="id"/> with, or <see langword="null"/> when <paramref name="failure"/> is not a connector's.</returns>
    public static JsonRpcError? ToError(RequestId id, string connector, Exception failure) => failure switch
    {
        ConnectorAuthorizationRequiredException required => Error(id, BridgeErrorCodes.ConnectorAuthorizationRequired,
            $"The connector '{required.Connector}' needs authorization: {required.Reason}.",
            new JsonObject { ["connector"] = required.Connector, ["state"] = ConnectorStatus.AuthorizationRequired, ["authorize"] = ConnectorPaths.Authorize(required.Connector) }),
        ConnectorInsufficientScopeException insufficient => Error(id, BridgeErrorCodes.ConnectorInsufficientScope,
            $"The connector '{insufficient.Connector}' needs more scope ({insufficient.Scope}): authorize it again.",
            new JsonObject { ["connector"] = insufficient.Connector, ["state"] = InsufficientScope, ["scope"] = insufficient.Scope, ["authorize"] = ConnectorPaths.Authorize(insufficient.Connector) }),
        UpstreamUnavailableException or UpstreamSessionLostException => Error(id, BridgeErrorCodes.UpstreamUnavailable,
            $"The MCP server '{connector}' is unavailable: {failure.Message}", null),
        UpstreamRejectedException rejected => new JsonRpcError { Id = id, Error = rejected.Error },
        _ => null,
    };

    /// <summary>The state and reason of a connector left out of a merged list.</summary>
    public static (string State, string Reason)? ToState(Exception failure) => failure switch
    {
        ConnectorAuthorizationRequiredException required => (ConnectorStatus.AuthorizationRequired, required.Reason),
        ConnectorInsufficientScopeException insufficient => (ConnectorStatus.AuthorizationRequired, "it needs more scope: " + insufficient.Scope),
        UpstreamUnavailableException or UpstreamSessionLostException => (ConnectorStatus.Unavailable, failure.Message),
        UpstreamRejectedException rejected => (ConnectorStatus.Unavailable, "it refused the request: " + rejected.Error.Message),
        _ => null,
    };

    private static JsonRpcError Error(RequestId id, int code, string message, JsonNode? data)
        => new() { Id = id, Error = new JsonRpcErrorDetail { Code = code, Message = message, Data = data } };
}
