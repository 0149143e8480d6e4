using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// An MCP transport over a WebSocket, one JSON-RPC message per text frame: lets the SDK's own
/// McpClient talk to the gateway's /mcp as a browser would, and lets a test MCP server speak over a
/// WebSocket (for the gateway's ws:// upstream). The benchmarks' load client uses it too (a linked file).
/// </summary>
internal sealed class WebSocketMessageTransport : TransportBase
{
    private static readonly JsonTypeInfo<JsonRpcMessage> Message = (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;

    public WebSocketMessageTransport(WebSocket socket)
        : base("websocket", loggerFactory: null)
    {
        _socket = socket;
        SetConnected();
        _receiving = ReceiveAsync();
    }

    /// <summary>How the socket was closed by the other side, once it was.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public Task Completion => _receiving;

    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Message);
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        await _closing.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _closing.Dispose();
        _sending.Dispose();
    }

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        try
        {
            var frame = new ArrayBufferWriter<byte>(4096);
            while (_socket.State == WebSocketState.Open)
            {
                frame.ResetWrittenCount();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(frame.GetMemory(4096), _closing.Token);
                    frame.Advance(received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (JsonSerializer.Deserialize(frame.WrittenSpan, Message) is { } message)
                {
                    await WriteMessageAsync(message, _closing.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or JsonException)
        {
            error = ex;
        }
        finally
        {
            SetDisconnected(error);
        }
    }
}
