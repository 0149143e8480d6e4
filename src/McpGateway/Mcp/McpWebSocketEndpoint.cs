using System.Security.Cryptography;
using McpGateway.Connectors.Routing;
using McpGateway.Hosting;
using McpGateway.Hosting.Telemetry;
using McpGateway.Limits;
using McpGateway.Mcp.Dialects;
using McpGateway.Mcp.Resumable;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp;

/// <summary>
/// <c>GET /mcp</c>: upgrades to a WebSocket only for a signed-in user (401 before the upgrade
/// otherwise), from the gateway's own origin (403 otherwise: a cross-site page cannot ride the
/// cookie), with subprotocol <c>mcp</c> or <c>mcp-v1</c>, and within the per-user socket limit (429).
/// </summary>
internal sealed class McpWebSocketEndpoint(
    McpSocketRegistry registry,
    IUpstreamSessionFactory upstreams,
    ConnectorCatalog connectors,
    GatewayRequestHandler local,
    ResultAugmenter augmenter,
    UserRateLimits limits,
    IUserConnectionSlots slots,
    SocketResumption resumption,
    GatewayTelemetry telemetry,
    IOptions<McpOptions> options,
    IOptions<GatewayOptions> gateway,
    IOptionsMonitor<CookieAuthenticationOptions> cookies,
    TimeProvider time,
    ILogger<McpWebSocketEndpoint> logger)
{
    private static readonly IMcpDialect[] Dialects = [new JsonRpcDialect(), new SeedEnvelopeDialect()];
    private readonly string _origin = gateway.Value.OriginHeaderValue;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = "websocket";
            await RefuseAsync(context, StatusCodes.Status426UpgradeRequired, GatewayErrors.InvalidRequest,
                "This endpoint is a WebSocket: open it with new WebSocket(url, ['mcp']) or ['mcp-v1']. MCP clients over Streamable HTTP POST to it, and GET it with Accept: text/event-stream.");
            return;
        }

        if (context.Request.Headers.Origin.ToString() != _origin)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, GatewayErrors.Forbidden,
                $"Cross-origin WebSocket refused: the Origin must be {_origin}.");
            return;
        }

        var authentication = await context.AuthenticateAsync(SessionCookie.Scheme);
        if (!authentication.Succeeded || ActiveSession.Of(context) is not { } session)
        {
            var expired = context.Request.Cookies.ContainsKey(cookies.Get(SessionCookie.Scheme).Cookie.Name!);
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, expired ? GatewayErrors.SessionExpired : GatewayErrors.Unauthenticated,
                expired ? "The session has ended; sign in again at /auth/login." : "Sign in first at /auth/login.");
            return;
        }

        var dialect = Dialects.FirstOrDefault(candidate => context.WebSockets.WebSocketRequestedProtocols.Contains(candidate.Name));
        if (dialect is null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest,
                "Ask for the WebSocket subprotocol 'mcp' (JSON-RPC 2.0) or 'mcp-v1' (the envelope dialect).");
            return;
        }

        var user = new BridgeUser(authentication.Principal.FindFirst("sub")!.Value, authentication.Principal.FindFirst("name")?.Value, session.Id);
        var settings = options.Value;
        var socketId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        // Both dialects' sessions are resumable, with one server or behind the router (the binding names each connector's session).
        var lookup = await resumption.FindAsync(context.Request.Query[SocketResumption.QueryParameter].ToString(), user, logger, context.RequestAborted);
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = dialect.Name, KeepAliveInterval = settings.KeepAliveInterval });
        var resumableSocket = lookup.Outcome != ResumeOutcome.Foreign ? resumption.Open(socketId, user, lookup, logger) : null;
        var slotId = resumableSocket?.SlotId ?? socketId;
        await using var bridge = new McpBridge(
            socketId, new WebSocketBrowserTransport(new BrowserSocket(socket, settings.MaxFrameBytes), dialect), user, upstreams, local, augmenter, limits, telemetry, settings, time, logger, connectors,
            resumableSocket);
        if (lookup.Outcome == ResumeOutcome.Foreign)
        {
            // After the upgrade, so that the page reads why; its own session is not touched.
            ResumeLog.Foreign(logger, socketId, user.Subject);
            await bridge.CloseAsync(McpCloseCodes.ResumeRefused, "This resume handle belongs to another sign-in session: connect again without ?resume=.");
            return;
        }

        if (lookup is { Outcome: ResumeOutcome.Resumed, Binding: { } binding })
        {
            bridge.Resume(binding.UpstreamSessionId, new ModelContextProtocol.Protocol.JsonRpcRequest
            {
                Id = new ModelContextProtocol.Protocol.RequestId("resumed-initialize"),
                Method = GatewayMethods.Initialize,
                Params = System.Text.Json.Nodes.JsonNode.Parse(binding.InitializeParams),
            }, binding.Connectors, binding.ProtocolVersion);
            ResumeLog.Resumed(logger, socketId, user.Subject);
        }
        else if (lookup.Outcome == ResumeOutcome.Unknown)
        {
            ResumeLog.Unknown(logger, socketId, user.Subject);
        }
        // The replica's own count first (no Redis call for a user already at the cap here), then every replica's.
        var admitted = registry.TryAdd(bridge, settings.MaxSocketsPerUser);
        if (admitted && !await slots.TryTakeAsync(ConnectionKind.Socket, user.Subject, slotId, settings.MaxSocketsPerUser, context.RequestAborted))
        {
            registry.Remove(bridge);
            admitted = false;
        }

        if (!admitted)
        {
            // Refused after the upgrade so that the browser sees the reason (an HTTP refusal is opaque to page scripts).
            await bridge.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation,
                $"Too many open sockets: at most {settings.MaxSocketsPerUser} per user.");
            McpLog.UpgradeRefused(logger, StatusCodes.Status429TooManyRequests, "socket limit reached for " + user.Subject);
            return;
        }

        // Every log line of this socket carries its id: one socket's story can be read out of the logs.
        using var scope = logger.BeginScope(new SocketLogScope(socketId));
        McpLog.SocketOpened(logger, socketId, user.Subject, dialect.Name);
        telemetry.SocketsOpen.Add(1);
        try
        {
            await bridge.RunAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            McpLog.BridgeFailed(logger, socketId, ex);
        }
        finally
        {
            telemetry.SocketsOpen.Add(-1);
            registry.Remove(bridge);
            await slots.ReleaseAsync(ConnectionKind.Socket, user.Subject, slotId);
            McpLog.SocketClosed(logger, socketId, bridge.ClosedStatus, bridge.ClosedReason);
        }
    }

    private Task RefuseAsync(HttpContext context, int statusCode, string error, string description)
    {
        McpLog.UpgradeRefused(logger, statusCode, description);
        return GatewayErrors.WriteAsync(context.Response, statusCode, error, description);
    }
}
