using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using McpGateway.Auth.Dpop;
using McpGateway.Sessions;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// An upstream MCP session over a WebSocket (<c>ws(s)://</c>, subprotocol <c>mcp</c>, one JSON-RPC
/// message per text frame). A WebSocket carries the bearer token only in its upgrade request, so
/// when the user's token has been refreshed the session reports itself lost: the bridge reconnects
/// with the new token and re-initializes, as for any lost session.
/// </summary>
internal sealed class WebSocketUpstream : IUpstreamSession
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;
    private readonly ClientWebSocket _socket;
    private readonly Func<CancellationToken, Task<SessionTokens?>> _tokens;
    private readonly string? _connectedWith;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<JsonRpcMessage> _messages = SessionMessageChannel.Create<JsonRpcMessage>();
    private readonly Task _receiving;

    private WebSocketUpstream(ClientWebSocket socket, Func<CancellationToken, Task<SessionTokens?>> tokens, string? connectedWith)
    {
        _socket = socket;
        _tokens = tokens;
        _connectedWith = connectedWith;
        _receiving = ReceiveAsync();
    }

    public ChannelReader<JsonRpcMessage> Messages => _messages.Reader;

    /// <summary>
    /// Connects with the access token <paramref name="tokens"/> gives (null: no Authorization header, <c>none</c> mode). A
    /// DPoP-bound token (RFC 9449) goes as <c>Authorization: DPoP</c> with a proof for the upgrade request (htm GET, htu the
    /// endpoint in its http(s) form, RFC 6455 §3), signed by <paramref name="proofs"/>.
    /// </summary>
    public static async Task<WebSocketUpstream> ConnectAsync(
        Uri endpoint, Func<CancellationToken, Task<SessionTokens?>> tokens, CancellationToken cancellationToken, DpopProofFactory? proofs = null)
    {
        var current = await tokens(cancellationToken);
        var token = current?.AccessToken;
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        if (current is not null)
        {
            socket.Options.SetRequestHeader("Authorization", current.AuthorizationScheme + " " + current.AccessToken);
            if (current.IsDpopBound && proofs is not null)
            {
                var target = new UriBuilder(endpoint) { Scheme = endpoint.Scheme == "wss" ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, Port = endpoint.Port }.Uri;
                socket.Options.SetRequestHeader(DpopProofFactory.HeaderName, proofs.Create(current.DpopKey!, HttpMethod.Get, target, current.AccessToken));
            }
        }

        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch (WebSocketException ex)
        {
            socket.Dispose();
            throw new UpstreamUnavailableException(ex.WebSocketErrorCode == WebSocketError.NotAWebSocket ? "it refused the WebSocket upgrade" : "it cannot be reached", ex);
        }

        return new WebSocketUpstream(socket, tokens, token);
    }

    public async Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if ((await _tokens(cancellationToken))?.AccessToken != _connectedWith)
        {
            throw new UpstreamSessionLostException("the access token was refreshed; reconnecting with the new one");
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, JsonRpcCodec.MessageType);
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            throw new UpstreamSessionLostException("the upstream WebSocket closed", ex);
        }
        finally
        {
            _sending.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "Closing.", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sending.Dispose();
        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    received = await _socket.ReceiveAsync(buffer.AsMemory(length), _closing.Token);
                    length += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close && length < MaxMessageBytes);

                if (received.MessageType == WebSocketMessageType.Close || !received.EndOfMessage)
                {
                    return;
                }

                if (JsonRpcCodec.ParseObject(buffer.AsMemory(0, length), out _) is { } json && JsonRpcCodec.ToMessage(json, out _) is { } message)
                {
                    await _messages.Writer.WriteAsync(message);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _messages.Writer.TryComplete();
        }
    }
}
