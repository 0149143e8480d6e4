using System.Text.Json.Nodes;
using McpGateway.Hosting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// <c>POST</c>, <c>GET</c> (without an Upgrade) and <c>DELETE /mcp</c>: the Streamable HTTP transport
/// of MCP 2025-11-25 (2025-06-18 and 2025-03-26 too) for standard MCP clients, same-origin, with the
/// session cookie. Every request needs the cookie (401) and, when it has an <c>Origin</c>, the public
/// origin (403). A request without <c>Origin</c> is admitted: browsers send one on every POST and
/// DELETE and on every cross-origin fetch or EventSource, so only a non-browser client (which holds
/// the cookie itself) sends none; a cross-site navigation GET carries no Origin but is refused
/// for its Accept or its missing session header and cannot read the answer.
/// </summary>
internal sealed class McpHttpEndpoint(
    McpHttpSessions sessions,
    IOptions<McpOptions> options,
    IOptions<GatewayOptions> gateway,
    IOptionsMonitor<CookieAuthenticationOptions> cookies,
    ILogger<McpHttpEndpoint> logger)
{
    private readonly string _origin = gateway.Value.OriginHeaderValue;

    /// <summary>A GET that asks for an event stream is this transport's; any other GET is the WebSocket's.</summary>
    public static bool WantsEventStream(HttpRequest request) => AcceptHeader.Allows(request, AcceptHeader.EventStream);

    public async Task HandlePostAsync(HttpContext context)
    {
        if (await AdmitAsync(context) is not { } user)
        {
            return;
        }

        if (!AcceptHeader.Allows(context.Request, AcceptHeader.Json) || !AcceptHeader.Allows(context.Request, AcceptHeader.EventStream))
        {
            await RefuseAsync(context, StatusCodes.Status406NotAcceptable, null, "Not Acceptable: the Accept header must allow both application/json and text/event-stream.");
            return;
        }

        if (await McpHttpBody.ReadAsync(context, options.Value.MaxFrameBytes) is not { } message)
        {
            McpHttpLog.Refused(logger, "POST", context.Response.StatusCode, "the body is not one JSON-RPC message");
            return;
        }

        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        if (message is JsonRpcRequest { Method: GatewayMethods.Initialize } initialize)
        {
            if (sessionId.Length > 0)
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, initialize.Id, "Bad Request: initialize opens a new session; send it without Mcp-Session-Id.");
                return;
            }

            await InitializeAsync(context, user, initialize);
            return;
        }

        if (sessionId.Length == 0)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, (message as JsonRpcMessageWithId)?.Id,
                "Bad Request: Mcp-Session-Id is required; open a session with initialize first.");
            return;
        }

        if (await FindAsync(context, user, sessionId) is not { } session)
        {
            return;
        }

        if (message is not JsonRpcRequest request)
        {
            // Notifications and the client's answers to server requests: accepted, relayed by the bridge.
            context.Response.StatusCode = session.Transport.TryAccept(message) ? StatusCodes.Status202Accepted : StatusCodes.Status404NotFound;
            return;
        }

        var answer = session.Transport.Expect(request.Id, PrefersEventStream(context.Request));
        if (answer is null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, request.Id, $"Invalid request: a request with id {request.Id} is already in flight in this session.");
            return;
        }

        await RelayAsync(context, session, request, answer);
    }

    public async Task HandleGetAsync(HttpContext context)
    {
        if (await AdmitAsync(context) is not { } user)
        {
            return;
        }

        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        if (sessionId.Length == 0)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, null, "Bad Request: Mcp-Session-Id is required to open the session's event stream.");
            return;
        }

        if (await FindAsync(context, user, sessionId) is not { } session)
        {
            return;
        }

        if (!sessions.TryReserveStream(user.Subject))
        {
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, null, $"Too many open event streams: at most {options.Value.MaxStreamsPerUser} per user.");
            return;
        }

        try
        {
            if (session.Transport.OpenStandalone() is not { } stream)
            {
                await RefuseAsync(context, StatusCodes.Status409Conflict, null, "Conflict: this session's event stream is already open (one per session).");
                return;
            }

            McpHttpLog.StandaloneStream(logger, session.Bridge.SocketId, "opened");
            try
            {
                await StreamAsync(context, stream);
            }
            finally
            {
                session.Transport.CloseStandalone(stream);
                McpHttpLog.StandaloneStream(logger, session.Bridge.SocketId, "closed");
            }
        }
        finally
        {
            sessions.ReleaseStream(user.Subject);
        }
    }

    public async Task HandleDeleteAsync(HttpContext context)
    {
        if (await AdmitAsync(context) is not { } user)
        {
            return;
        }

        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        if (sessionId.Length == 0)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, null, "Bad Request: Mcp-Session-Id names the session to end.");
            return;
        }

        if (await FindAsync(context, user, sessionId) is not { } session)
        {
            return;
        }

        await session.EndAsync("Ended by the client (DELETE).");
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task InitializeAsync(HttpContext context, BridgeUser user, JsonRpcRequest initialize)
    {
        var opened = sessions.TryOpen(user);
        if (opened is null)
        {
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, initialize.Id,
                $"Too many MCP sessions: at most {options.Value.MaxHttpSessionsPerUser} per user; end one with DELETE or let one expire.");
            return;
        }

        var (session, id) = opened.Value;
        var stream = session.Transport.Expect(initialize.Id, asEventStream: false)!;
        session.Transport.TryAccept(initialize);
        JsonRpcMessage? answer = null;
        try
        {
            await foreach (var message in stream.Reader.ReadAllAsync(context.RequestAborted))
            {
                answer = message;
            }
        }
        finally
        {
            session.Transport.Forget(initialize.Id, stream);
        }

        if (answer is not JsonRpcResponse { Result: JsonObject result })
        {
            // No session without a successful handshake: the client gets the error, the gateway keeps nothing.
            await session.EndAsync("initialize failed.");
            await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, answer ?? McpHttpWriter.SessionEnded(initialize.Id, session.Transport.Closed));
            return;
        }

        session.ProtocolVersion = GatewayRequestHandler.Text(result, "protocolVersion");
        context.Response.Headers[McpHttpHeaders.SessionId] = id;
        if (PrefersEventStream(context.Request))
        {
            await McpHttpWriter.StartEventStreamAsync(context);
            await McpHttpWriter.WriteEventAsync(context.Response, answer, context.RequestAborted);
        }
        else
        {
            await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, answer);
        }
    }

    private static async Task RelayAsync(HttpContext context, McpHttpSession session, JsonRpcRequest request, MessageStream answer)
    {
        var aborted = context.RequestAborted;
        try
        {
            if (!session.Transport.TryAccept(request))
            {
                await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status404NotFound, NotFound(request.Id));
                return;
            }

            if (answer.CarriesServerMessages)
            {
                // Server requests and notifications come first, the response last; then the stream ends.
                await McpHttpWriter.StartEventStreamAsync(context);
                var answered = false;
                await foreach (var message in answer.Reader.ReadAllAsync(aborted))
                {
                    answered |= message is JsonRpcResponse or JsonRpcError;
                    await McpHttpWriter.WriteEventAsync(context.Response, message, aborted);
                }

                if (!answered)
                {
                    await McpHttpWriter.WriteEventAsync(context.Response, McpHttpWriter.SessionEnded(request.Id, session.Transport.Closed), aborted);
                }

                return;
            }

            JsonRpcMessage? response = null;
            await foreach (var message in answer.Reader.ReadAllAsync(aborted))
            {
                response = message;
            }

            await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, response ?? McpHttpWriter.SessionEnded(request.Id, session.Transport.Closed));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away. MCP: a disconnection is not a cancellation; the request runs on, its answer is dropped.
        }
        finally
        {
            session.Transport.Forget(request.Id, answer);
        }
    }

    private async Task StreamAsync(HttpContext context, MessageStream stream)
    {
        var aborted = context.RequestAborted;
        var keepAlive = options.Value.KeepAliveInterval;
        await McpHttpWriter.StartEventStreamAsync(context);
        try
        {
            while (true)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                if (keepAlive > TimeSpan.Zero)
                {
                    tick.CancelAfter(keepAlive);
                }

                try
                {
                    if (!await stream.Reader.WaitToReadAsync(tick.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await McpHttpWriter.WriteKeepAliveAsync(context.Response, aborted);
                    continue;
                }

                while (stream.Reader.TryRead(out var message))
                {
                    await McpHttpWriter.WriteEventAsync(context.Response, message, aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>Cookie session and origin: the guards of every method, as for the WebSocket.</summary>
    private async Task<BridgeUser?> AdmitAsync(HttpContext context)
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
    private async Task<McpHttpSession?> FindAsync(HttpContext context, BridgeUser user, string sessionId)
    {
        if (sessions.Find(sessionId, user.Session) is not { } session)
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

    /// <summary>Answers <c>text/event-stream</c> unless the client prefers <c>application/json</c> by its q-values.</summary>
    private static bool PrefersEventStream(HttpRequest request)
        => AcceptHeader.Quality(request, AcceptHeader.EventStream) >= AcceptHeader.Quality(request, AcceptHeader.Json);

    private static JsonRpcError NotFound(RequestId? id)
        => JsonRpcCodec.Error(id, (McpErrorCode)BridgeErrorCodes.SessionNotFound, "Session not found: it ended or never existed; start a new one with initialize.");

    private Task RefuseAsync(HttpContext context, int statusCode, RequestId? id, string description)
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
