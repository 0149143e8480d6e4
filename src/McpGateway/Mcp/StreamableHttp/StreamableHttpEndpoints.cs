using McpGateway.Hosting;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>Maps the Streamable HTTP transport on <c>/mcp</c>, beside the WebSocket on the same path.</summary>
internal static class StreamableHttpEndpoints
{
    public static void MapStreamableHttp(this WebApplication app, string path)
    {
        // No Accepts metadata: routing would then answer another content type with the fallback's 404, not the transport's 415.
        app.MapPost(path, (HttpContext context, McpHttpEndpoint endpoint) => endpoint.HandlePostAsync(context))
            .WithTags("MCP")
            .WithName("McpPost")
            .WithSummary("Streamable HTTP (MCP 2025-11-25): one JSON-RPC message per POST.")
            .WithDescription("Needs the session cookie, Content-Type: application/json and Accept: application/json, text/event-stream. "
                + "initialize opens a session and answers Mcp-Session-Id, which every later request sends back (with MCP-Protocol-Version). "
                + "Requests are answered as application/json or as an event stream carrying the server's requests and notifications before the response; "
                + "notifications and responses get 202.")
            .WithMetadata(new SessionCookieChecked())
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .Produces(StatusCodes.Status202Accepted)
            .Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status404NotFound, "application/json")
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status406NotAcceptable, "application/json")
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status413PayloadTooLarge, "application/json")
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status415UnsupportedMediaType, "application/json");
        // One GET for both: with an Upgrade (or without asking for an event stream) it is the WebSocket, as before.
        app.MapGet(path, (HttpContext context, McpHttpEndpoint endpoint, McpWebSocketEndpoint socket)
                => context.WebSockets.IsWebSocketRequest || !McpHttpEndpoint.WantsEventStream(context.Request) ? socket.HandleAsync(context) : endpoint.HandleGetAsync(context))
            .WithTags("MCP")
            .WithName("McpStream")
            .WithSummary("Streamable HTTP: the session's standalone event stream (Accept: text/event-stream, no Upgrade); with an Upgrade, the MCP WebSocket.")
            .WithDescription("Server requests and notifications that belong to no open POST, one stream per session. "
                + "A WebSocket upgrade (subprotocol mcp or mcp-v1) on the same path is the browser bridge described in the README.")
            .WithMetadata(new SessionCookieChecked())
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, "text/event-stream")
            .Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status404NotFound, "application/json")
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status409Conflict, "application/json")
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status426UpgradeRequired, "application/json");
        app.MapDelete(path, (HttpContext context, McpHttpEndpoint endpoint) => endpoint.HandleDeleteAsync(context))
            .WithTags("MCP")
            .WithName("McpDelete")
            .WithSummary("Streamable HTTP: ends the session named by Mcp-Session-Id, and its upstream session.")
            .WithMetadata(new SessionCookieChecked())
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status404NotFound, "application/json");
    }
}
