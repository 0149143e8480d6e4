using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Bench;

/// <summary>
/// The browser's side of the gateway's /mcp: one JSON-RPC message per text frame, so that the SDK's
/// McpClient drives the gateway exactly as it drives a Streamable HTTP server.
/// </summary>
internal sealed class WebSocketClientTransport : TransportBase, IClientTransport
{
    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType = (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;

    public WebSocketClientTransport(WebSocket socket)
        : base("bench-websocket", loggerFactory: null)
    {
        _socket = socket;
        SetConnected();
        _receiving = ReceiveLoopAsync();
    }

    string IClientTransport.Name => "bench-websocket";

    public Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) => Task.FromResult<ITransport>(this);

    /// <summary>Opens /mcp with the session cookie and the gateway's own Origin, as a page of the gateway would.</summary>
    public static async Task<ClientWebSocket> OpenAsync(Uri gateway, string cookieHeader, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        socket.Options.SetRequestHeader("Origin", gateway.GetLeftPart(UriPartial.Authority));
        socket.Options.SetRequestHeader("Cookie", cookieHeader);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"ws://{gateway.Authority}/mcp"), cancellationToken);
        return socket;
    }

    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, MessageType);
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
        try
        {
            await _receiving;
        }
        catch (Exception)
        {
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.GetMemory(4096), _closing.Token);
                    buffer.Advance(received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (JsonSerializer.Deserialize(buffer.WrittenSpan, MessageType) is { } message)
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
