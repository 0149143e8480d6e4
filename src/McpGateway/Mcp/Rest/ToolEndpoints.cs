using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Connectors;
using McpGateway.Hosting;
using McpGateway.Limits;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using McpGateway.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Rest;

/// <summary>
/// <c>GET /api/tools</c> and <c>POST /api/tools/{name}/call</c>: the same merged registry as the
/// WebSocket's <c>tools/list</c> and <c>tools/call</c>, over REST, for pages that do not hold a socket.
/// </summary>
internal static class ToolEndpoints
{
    public const string UpstreamUnavailable = "upstream_unavailable";

    /// <summary>The tool's connector needs the user's authorization first (<c>POST /api/connectors/{name}/authorize</c>).</summary>
    public const string ConnectorAuthorizationRequired = "connector_authorization_required";

    public static IEndpointRouteBuilder MapToolEndpoints(this IEndpointRouteBuilder app)
    {
        var tools = app.MapGroup("/api/tools").WithTags("Tools").RequireAuthorization();
        tools.MapGet("/", ListAsync)
            .WithSummary("The gateway's tools and the MCP upstream's, as tools/list gives them (gateway tools first; they win a name clash).")
            .Produces<ToolListDocument>();
        tools.MapPost("/{name}/call", CallAsync)
            .WithSummary("Call a tool with {\"arguments\": {...}}; gateway tools run here, the others on the MCP upstream with the user's token.")
            .RequireCsrfHeader()
            .RequireRateLimiting(RateLimitsFeature.ToolsPolicy)
            .Accepts<ToolCallRequest>("application/json")
            .Produces<CallToolResult>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponse>(StatusCodes.Status502BadGateway);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ToolRegistry registry, UpstreamToolClient upstream)
    {
        var session = ActiveSession.Of(context)!;
        IReadOnlyList<Tool> upstreamTools = [];
        var status = new JsonObject { ["status"] = "ok" };
        try
        {
            var listed = await upstream.ListAllAsync(session.Id, context.RequestAborted);
            upstreamTools = listed.Tools;
            if (listed.Missing.Count > 0)
            {
                // Each connector fails on its own: the others' tools are listed, the missing ones named.
                status = new JsonObject
                {
                    ["status"] = "partial",
                    ["detail"] = "Some MCP servers are missing: " + string.Join("; ", listed.Missing.Select(missing => $"{missing.Connector.Name} ({missing.State}: {missing.Reason})")),
                    ["connectors"] = new JsonArray([.. listed.Missing.Select(missing => new JsonObject { ["name"] = missing.Connector.Name, ["state"] = missing.State, ["reason"] = missing.Reason })]),
                };
            }
        }
        catch (SessionEndedException ex)
        {
            return SessionEnded(ex);
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or UpstreamSessionLostException or UpstreamRejectedException)
        {
            status = new JsonObject { ["status"] = "unavailable", ["detail"] = "The MCP server is unavailable: " + ex.Message };
        }

        var body = new JsonObject
        {
            ["tools"] = JsonSerializer.SerializeToNode(registry.MergeWith(upstreamTools), McpJsonUtilities.DefaultOptions),
            ["upstream"] = status,
        };
        return TypedResults.Content(body.ToJsonString(), "application/json");
    }

    private static async Task<IResult> CallAsync(string name, HttpContext context, ClaimsPrincipal user, ToolRegistry registry, UpstreamToolClient upstream)
    {
        if (ToolName.Problem(name) is { } problem)
        {
            return GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest, problem);
        }

        var (request, invalid) = await JsonBody.ReadAsync(context.Request, GatewayJsonContext.Default.ToolCallRequest);
        if (invalid is not null)
        {
            return invalid;
        }

        var arguments = request!.Arguments ?? new JsonObject();
        if (registry.TryGet(name, out var tool))
        {
            var result = await tool.InvokeAsync(JsonSerializer.SerializeToElement(arguments, McpJsonUtilities.DefaultOptions), new ToolInvocation(user.FindFirst("sub")!.Value), context.RequestAborted);
            return TypedResults.Content(JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions), "application/json");
        }

        try
        {
            return await upstream.CallToolAsync(ActiveSession.Of(context)!.Id, name, arguments, context.RequestAborted) switch
            {
                JsonRpcResponse response => TypedResults.Content(response.Result?.ToJsonString() ?? "{}", "application/json"),
                JsonRpcError { Error.Code: (int)McpErrorCode.InvalidParams or (int)McpErrorCode.MethodNotFound } error
                    => GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest, error.Error.Message),
                JsonRpcError error => GatewayErrors.Result(StatusCodes.Status502BadGateway, UpstreamUnavailable, "The MCP server failed the call: " + error.Error.Message),
                _ => GatewayErrors.Result(StatusCodes.Status502BadGateway, UpstreamUnavailable, "The MCP server answered without a result."),
            };
        }
        catch (SessionEndedException ex)
        {
            return SessionEnded(ex);
        }
        catch (UpstreamRejectedException ex)
        {
            return GatewayErrors.Result(StatusCodes.Status502BadGateway, UpstreamUnavailable, "The MCP server refused the session: " + ex.Message);
        }
        catch (Exception ex) when (ex is ConnectorAuthorizationRequiredException or ConnectorInsufficientScopeException)
        {
            return GatewayErrors.Result(StatusCodes.Status403Forbidden, ConnectorAuthorizationRequired, ex.Message);
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or UpstreamSessionLostException)
        {
            return GatewayErrors.Result(StatusCodes.Status502BadGateway, UpstreamUnavailable, "The MCP server is unavailable: " + ex.Message);
        }
    }

    private static IResult SessionEnded(SessionEndedException ex)
        => GatewayErrors.Result(StatusCodes.Status401Unauthorized, GatewayErrors.SessionExpired, ex.Message);
}
