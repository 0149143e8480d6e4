using System.Security.Cryptography;
using McpGateway.Hosting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// Who may use <c>/mcp</c> over HTTP, checked as for the WebSocket: the session cookie (401) and, when
/// the request has an <c>Origin</c>, the public origin (403: the spec's DNS-rebinding rule). A request
/// without <c>Origin</c> is admitted: browsers send one on every POST and DELETE and on every
/// cross-origin fetch or EventSource, so only a non-browser client, which holds the cookie itself,
/// sends none. The one cookie-carrying browser request without it, a cross-site navigation GET,
/// is refused for its Accept (426) or its missing session header, and its page cannot read the answer.
/// Then the <c>Mcp-Session-Id</c> must name a session of the caller's cookie session (404 otherwise,
/// the same answer for unknown and foreign ids) and <c>MCP-Protocol-Version</c> a revision spoken here.
/// </summary>
internal sealed class McpHttpAccess(
    McpHttpSessions sessions,
    IOptions<GatewayOptions> gateway,
    IOptionsMonitor<CookieAuthenticationOptions> cookies,
    ILogger<McpHttpAccess> logger)
{
    private readonly string _origin = gateway.Value.OriginHeaderValue;

    /// <summary>Cookie session and origin: the guards of every method, as for the WebSocket.</summary>
    public async Task<BridgeUser?> AdmitAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (origin.Count > 0 && origin.ToString() != _origin)
        {
            await DenyAsync(context, StatusCodes.Status403Forbidden, GatewayErrors.Forbidden, $"Cross-origin request refused: the Origin must be {_origin}.");
            return null;
        }

        var authentication = await context.AuthenticateAsync(SessionCookie.Scheme);
        if (!authentication.Succeeded || ActiveSession.Of(context) is not { } session)
        {
            var expired = context.Request.Cookies.ContainsKey(cookies.Get(SessionCookie.Scheme).Cookie.Name!);
            await DenyAsync(context, StatusCodes.Status401Unauthorized, expired ? GatewayErrors.SessionExpired : GatewayErrors.Unauthenticated,
                expired ? "The session has ended; sign in again at /auth/login." : "Sign in first at /auth/login.");
            return null;
        }

        return new BridgeUser(authentication.Principal.FindFirst("sub")!.Value, authentication.Principal.FindFirst("name")?.Value, session.Id);
    }

    /// <summary>The caller's session of that id, with a protocol version this transport speaks; otherwise the refusal is written.</summary>
    public async Task<McpHttpSession?> FindAsync(HttpContext context, BridgeUser user, string sessionId)
    {
        if (await sessions.FindAsync(sessionId, user, context.RequestAborted) is not { } session)
        {
            // Unknown, ended and someone else's look the same: nothing tells an id that exists.
            McpHttpLog.Refused(logger, context.Request.Method, StatusCodes.Status404NotFound, "unknown MCP session");
            await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status404NotFound, NotFound(null));
            return null;
        }

        var version = context.Request.Headers[McpHttpHeaders.ProtocolVersion].ToString();
        if (!ProtocolVersions.IsSupported(version.Length == 0 ? ProtocolVersions.Assumed : version))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, null,
                $"Bad Request: unsupported MCP-Protocol-Version; this endpoint speaks {string.Join(", ", ProtocolVersions.Supported)}.");
            return null;
        }

        return session;
    }

    public static JsonRpcError NotFound(RequestId? id)
        => JsonRpcCodec.Error(id, (McpErrorCode)BridgeErrorCodes.SessionNotFound, "Session not found: it ended or never existed; start a new one with initialize.");

    public Task RefuseAsync(HttpContext context, int statusCode, RequestId? id, string description)
    {
        McpHttpLog.Refused(logger, context.Request.Method, statusCode, description);
        return McpHttpWriter.WriteErrorAsync(context.Response, statusCode, id, statusCode == StatusCodes.Status429TooManyRequests ? (McpErrorCode)BridgeErrorCodes.TooManyRequests : McpErrorCode.InvalidRequest, description);
    }

    private Task DenyAsync(HttpContext context, int statusCode, string error, string description)
    {
        McpHttpLog.Refused(logger, context.Request.Method, statusCode, description);
        return GatewayErrors.WriteAsync(context.Response, statusCode, error, description);
    }
}
