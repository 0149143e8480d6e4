using System.Text.Json.Nodes;
using McpGateway.Limits;
using McpGateway.Mcp.StreamableHttp.Resumption;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// <c>POST</c>, <c>GET</c> (without an Upgrade) and <c>DELETE /mcp</c>: the Streamable HTTP transport
/// of MCP 2025-11-25 (2025-06-18 and 2025-03-26 too) for standard MCP clients, same-origin, with the
/// session cookie. The guards every method passes first are <see cref="McpHttpAccess"/>'s. Event streams carry SSE ids
/// and are logged (<see cref="IMcpEventLog"/>): a client whose stream dropped resumes it with <c>Last-Event-ID</c>.
/// </summary>
internal sealed class McpHttpEndpoint(
    McpHttpSessions sessions,
    McpHttpAccess access,
    IUserConnectionSlots slots,
    IMcpEventLog events,
    StreamResumption resumption,
    IOptions<McpOptions> options,
    ILogger<McpHttpEndpoint> logger)
{

    /// <summary>A GET that asks for an event stream is this transport's; any other GET is the WebSocket's.</summary>
    public static bool WantsEventStream(HttpRequest request) => AcceptHeader.Allows(request, AcceptHeader.EventStream);

    private const string LastEventIdHeader = "Last-Event-ID";

    public async Task HandlePostAsync(HttpContext context)
    {
        if (await access.AdmitAsync(context) is not { } user)
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

        if (await access.FindAsync(context, user, sessionId) is not { } session)
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
        if (await access.AdmitAsync(context) is not { } user)
        {
            return;
        }

        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        if (sessionId.Length == 0)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, null, "Bad Request: Mcp-Session-Id is required to open the session's event stream.");
            return;
        }

        if (await access.FindAsync(context, user, sessionId) is not { } session)
        {
            return;
        }

        McpEventId? resumeAfter = null;
        if (context.Request.Headers.TryGetValue(LastEventIdHeader, out var lastEventId))
        {
            if (!McpEventId.TryParse(lastEventId.ToString(), out resumeAfter) || !await resumption.ExistsAsync(session.Key, resumeAfter.Value, context.RequestAborted))
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, null,
                    $"Bad Request: Last-Event-ID names no stream of this session that can be resumed (streams are kept {IMcpEventLog.RetainFor.TotalMinutes:F0} minutes after their last event).");
                return;
            }
        }

        // This replica's count first, then every replica's (the stream's id only names its slot).
        var streamId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        if (!sessions.TryReserveStream(user.Subject))
        {
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, null, $"Too many open event streams: at most {options.Value.MaxStreamsPerUser} per user.");
            return;
        }

        if (!await slots.TryTakeAsync(ConnectionKind.EventStream, user.Subject, streamId, options.Value.MaxStreamsPerUser, context.RequestAborted))
        {
            sessions.ReleaseStream(user.Subject);
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, null, $"Too many open event streams: at most {options.Value.MaxStreamsPerUser} per user.");
            return;
        }

        try
        {
            if (resumeAfter is { } after)
            {
                await resumption.ReplayAsync(context, session.Key, after, options.Value.KeepAliveInterval);
                if (!after.IsStandalone || context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }

            if (session.Transport.OpenStandalone() is not { } stream)
            {
                if (!context.Response.HasStarted)
                {
                    await RefuseAsync(context, StatusCodes.Status409Conflict, null, "Conflict: this session's event stream is already open (one per session).");
                }

                return;
            }

            McpHttpLog.StandaloneStream(logger, session.Bridge.SocketId, "opened");
            try
            {
                await McpHttpWriter.PumpAsync(context, stream, new LoggedEventStream(events, session.Key, McpEventId.StandaloneStream), options.Value.KeepAliveInterval);
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
            await slots.ReleaseAsync(ConnectionKind.EventStream, user.Subject, streamId);
        }
    }

    public async Task HandleDeleteAsync(HttpContext context)
    {
        if (await access.AdmitAsync(context) is not { } user)
        {
            return;
        }

        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        if (sessionId.Length == 0)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, null, "Bad Request: Mcp-Session-Id names the session to end.");
            return;
        }

        if (await access.FindAsync(context, user, sessionId) is not { } session)
        {
            return;
        }

        await sessions.EndAsync(session, "Ended by the client (DELETE).");
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task InitializeAsync(HttpContext context, BridgeUser user, JsonRpcRequest initialize)
    {
        var opened = await sessions.TryOpenAsync(user);
        if (opened is null)
        {
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, initialize.Id,
                $"Too many MCP sessions: at most {options.Value.MaxHttpSessionsPerUser} per user, and each has a request in flight; retry when one has finished.");
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
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away before it learnt the session's id: nobody can use the session.
            await session.EndAsync("The client went away during initialize.");
            return;
        }
        finally
        {
            session.Transport.Forget(initialize.Id, stream);
        }

        if (answer is not JsonRpcResponse { Result: JsonObject result })
        {
            // No session without a successful handshake: the client gets the error, the gateway keeps nothing.
            await sessions.EndAsync(session, "initialize failed.");
            await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, answer ?? McpHttpWriter.SessionEnded(initialize.Id, session.Transport.Closed));
            return;
        }

        session.ProtocolVersion = GatewayRequestHandler.Text(result, "protocolVersion");
        await sessions.BindAsync(session);
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

    private async Task RelayAsync(HttpContext context, McpHttpSession session, JsonRpcRequest request, MessageStream answer)
    {
        var aborted = context.RequestAborted;
        LoggedEventStream? logged = null;
        try
        {
            if (!session.Transport.TryAccept(request))
            {
                await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status404NotFound, McpHttpAccess.NotFound(request.Id));
                return;
            }

            if (answer.CarriesServerMessages)
            {
                // Server requests and notifications come first, the response last; then the stream ends.
                logged = new LoggedEventStream(events, session.Key, McpEventId.RequestStream);
                await McpHttpWriter.StartEventStreamAsync(context);
                await foreach (var message in answer.Reader.ReadAllAsync(aborted))
                {
                    await McpHttpWriter.WriteEventAsync(context.Response, logged, message, aborted);
                }

                await EndLoggedStreamAsync(context.Response, request, session, answer, logged, aborted);
                logged = null;
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
            // The client went away. MCP: a disconnection is not a cancellation; the request runs on. An event stream's
            // messages go on into the log until its response, for a GET with Last-Event-ID; a JSON answer is dropped.
            if (logged is not null)
            {
                _ = KeepLoggingAsync(request, session, answer, logged);
                return;
            }
        }
        finally
        {
            if (logged is null)
            {
                session.Transport.Forget(request.Id, answer);
            }
        }
    }

    private async Task KeepLoggingAsync(JsonRpcRequest request, McpHttpSession session, MessageStream answer, LoggedEventStream logged)
    {
        try
        {
            await foreach (var message in answer.Reader.ReadAllAsync())
            {
                logged.Record(message);
            }

            await EndLoggedStreamAsync(null, request, session, answer, logged, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            McpHttpLog.StreamNotLogged(logger, session.Bridge.SocketId, ex.GetType().Name);
        }
        finally
        {
            session.Transport.Forget(request.Id, answer);
        }
    }

    /// <summary>A stream that ended without the response (the session closed) gets an error in its place; then the log marks its end.</summary>
    private static async Task EndLoggedStreamAsync(HttpResponse? response, JsonRpcRequest request, McpHttpSession session, MessageStream answer, LoggedEventStream logged, CancellationToken cancellationToken)
    {
        if (!answer.Answered)
        {
            var ended = McpHttpWriter.SessionEnded(request.Id, session.Transport.Closed);
            if (response is null)
            {
                logged.Record(ended);
            }
            else
            {
                await McpHttpWriter.WriteEventAsync(response, logged, ended, cancellationToken);
            }
        }

        logged.End();
    }

    /// <summary>Answers <c>text/event-stream</c> unless the client prefers <c>application/json</c> by its q-values.</summary>
    private static bool PrefersEventStream(HttpRequest request)
        => AcceptHeader.Quality(request, AcceptHeader.EventStream) >= AcceptHeader.Quality(request, AcceptHeader.Json);

    private Task RefuseAsync(HttpContext context, int statusCode, RequestId? id, string description)
        => access.RefuseAsync(context, statusCode, id, description);
}
