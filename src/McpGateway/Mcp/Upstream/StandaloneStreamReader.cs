using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// The standalone SSE stream of one Streamable HTTP session (the GET on the MCP endpoint), opened by the gateway only
/// when <see cref="StandaloneStreamRule"/> says the server may send something unasked. It carries the session id and
/// the negotiated protocol version, resumes with <c>Last-Event-ID</c>, reconnects up to
/// <see cref="MaxReconnectAttempts"/> times in a row, and reports a 404 (the server forgot the session) as the session's end.
/// </summary>
internal sealed class StandaloneStreamReader(
    HttpClient http,
    Uri endpoint,
    Func<string?> sessionId,
    Func<string?> protocolVersion,
    ChannelWriter<JsonRpcMessage> messages,
    TimeProvider time,
    ILogger logger,
    TimeSpan? reconnectionInterval = null)
{
    public const int MaxReconnectAttempts = 5;
    private static readonly TimeSpan DefaultReconnectionInterval = TimeSpan.FromSeconds(1);

    /// <summary>Reads until cancelled, refused or out of attempts; <see cref="StandaloneStreamEnd.SessionLost"/> when the server answered 404.</summary>
    public async Task<StandaloneStreamEnd> RunAsync(CancellationToken cancellationToken)
    {
        var interval = reconnectionInterval ?? DefaultReconnectionInterval;
        string? lastEventId = null;
        var failures = 0;
        try
        {
            while (true)
            {
                try
                {
                    using var request = UpstreamRequests.Get(endpoint, sessionId(), protocolVersion(), lastEventId);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.NotFound)
                    {
                        McpLog.StandaloneStreamSessionLost(logger);
                        return StandaloneStreamEnd.SessionLost;
                    }

                    if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
                    {
                        // The server offers no standalone stream: nothing will come on one.
                        McpLog.StandaloneStreamRefused(logger, (int)response.StatusCode);
                        return StandaloneStreamEnd.Refused;
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                        var parser = SseParser.Create(body, Parse);
                        await foreach (var item in parser.EnumerateAsync(cancellationToken))
                        {
                            failures = 0;
                            if (item.EventId is { Length: > 0 } id)
                            {
                                lastEventId = id;
                            }

                            if (item.ReconnectionInterval is { } retry)
                            {
                                interval = retry;
                            }

                            if (item.EventType == SseParser.EventTypeDefault && item.Data is { } message)
                            {
                                await messages.WriteAsync(message, cancellationToken);
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    // Could not connect, or the connection broke mid-stream: like an ended stream, worth another attempt.
                    McpLog.StandaloneStreamFailed(logger, ex.GetType().Name);
                }

                // The stream ended (or was refused for now): reconnect after the interval, resuming where it stopped.
                if (++failures > MaxReconnectAttempts)
                {
                    McpLog.StandaloneStreamGaveUp(logger, MaxReconnectAttempts);
                    return StandaloneStreamEnd.GaveUp;
                }

                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return StandaloneStreamEnd.Cancelled;
        }
        catch (ChannelClosedException)
        {
            return StandaloneStreamEnd.Cancelled;
        }
    }

    /// <summary>A message event's JSON-RPC message; anything unreadable (or a priming event without data) is skipped.</summary>
    private static JsonRpcMessage? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (eventType != SseParser.EventTypeDefault || data.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(data, JsonRpcCodec.MessageType);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
