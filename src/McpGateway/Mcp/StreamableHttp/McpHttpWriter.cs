using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using System.Text;
using McpGateway.Mcp.StreamableHttp.Resumption;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>Writes the endpoint's answers: one JSON-RPC message as <c>application/json</c>, or an event stream of them.</summary>
internal static class McpHttpWriter
{
    private static readonly byte[] EventStart = "event: message\ndata: "u8.ToArray();
    private static readonly byte[] IdStart = "id: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    public static Task WriteErrorAsync(HttpResponse response, int statusCode, RequestId? id, McpErrorCode code, string message)
        => WriteJsonAsync(response, statusCode, JsonRpcCodec.Error(id, code, message));

    public static async Task WriteJsonAsync(HttpResponse response, int statusCode, JsonRpcMessage message)
    {
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-store";
        response.ContentType = AcceptHeader.Json;
        await response.Body.WriteAsync(JsonRpcCodec.Serialize(message));
    }

    /// <summary>Sends the headers of an event stream at once, unbuffered, so the client knows it is open.</summary>
    public static async Task StartEventStreamAsync(HttpContext context)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = AcceptHeader.EventStream;
        response.Headers.CacheControl = "no-cache, no-store";
        // Reverse proxies (nginx) would otherwise hold events back.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>One SSE event; serialized JSON holds no line break, so it is one <c>data</c> line.</summary>
    public static Task WriteEventAsync(HttpResponse response, JsonRpcMessage message, CancellationToken cancellationToken)
        => WriteEventAsync(response, null, JsonRpcCodec.Serialize(message), cancellationToken);

    /// <summary>One SSE event with its id (the client's <c>Last-Event-ID</c> when it resumes).</summary>
    public static Task WriteEventAsync(HttpResponse response, LoggedEventStream events, JsonRpcMessage message, CancellationToken cancellationToken)
    {
        var (id, json) = events.Record(message);
        return WriteEventAsync(response, id, json, cancellationToken);
    }

    public static async Task WriteEventAsync(HttpResponse response, McpEventId? id, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        if (id is { } eventId)
        {
            writer.Write(IdStart);
            writer.Write(Encoding.ASCII.GetBytes(eventId.ToString()));
            writer.Write("\n"u8);
        }

        writer.Write(EventStart);
        writer.Write(json.Span);
        writer.Write(EventEnd);
        await writer.FlushAsync(cancellationToken);
    }

    public static async Task WriteKeepAliveAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.BodyWriter.Write(KeepAlive);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>The standalone stream: its messages as they come, a keep-alive comment when quiet, until the session or the client ends it.</summary>
    public static async Task PumpAsync(HttpContext context, MessageStream stream, LoggedEventStream events, TimeSpan keepAlive)
    {
        var aborted = context.RequestAborted;
        if (!context.Response.HasStarted)
        {
            await StartEventStreamAsync(context);
        }

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
                    await WriteKeepAliveAsync(context.Response, aborted);
                    continue;
                }

                while (stream.Reader.TryRead(out var message))
                {
                    await WriteEventAsync(context.Response, events, message, aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>The answer of a request whose session ended before its response.</summary>
    public static JsonRpcError SessionEnded(RequestId id, (WebSocketCloseStatus Status, string Reason)? closed)
        => JsonRpcCodec.Error(id, (McpErrorCode)BridgeErrorCodes.UpstreamUnavailable, "The MCP session ended before the answer: " + (closed?.Reason ?? "closed") + " Start a new session with initialize.");
}
