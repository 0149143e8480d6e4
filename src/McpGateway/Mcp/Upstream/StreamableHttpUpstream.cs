using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using McpGateway.Connectors;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// An upstream MCP session over Streamable HTTP, through the official SDK's transport (sessions,
/// SSE, resumption and protocol-version headers are the SDK's work). Its failures are translated
/// into the bridge's exceptions, and whatever the server sends is read by one pump into
/// <see cref="Messages"/>.
/// </summary>
internal sealed class StreamableHttpUpstream : IUpstreamSession
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);
    private readonly HttpClientTransport _client;
    private readonly ITransport _transport;
    private readonly SessionDetachHandler? _detach;
    private readonly Channel<JsonRpcMessage> _messages = Channel.CreateUnbounded<JsonRpcMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    private StreamableHttpUpstream(HttpClientTransport client, ITransport transport, SessionDetachHandler? detach)
    {
        _client = client;
        _transport = transport;
        _detach = detach;
        _pump = PumpAsync();
    }

    public ChannelReader<JsonRpcMessage> Messages => _messages.Reader;

    public string? SessionId => _transport.SessionId;

    /// <summary>Connects (joining <paramref name="knownSessionId"/> when given); <paramref name="detach"/>, the outermost handler of <paramref name="http"/>, lets <see cref="DetachAsync"/> keep the session open.</summary>
    public static async Task<StreamableHttpUpstream> ConnectAsync(
        Uri endpoint, HttpClient http, ILoggerFactory loggers, string? knownSessionId, CancellationToken cancellationToken, SessionDetachHandler? detach = null)
    {
        var client = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp, Name = "upstream", KnownSessionId = knownSessionId },
            http,
            loggers,
            ownsHttpClient: true);
        return new StreamableHttpUpstream(client, await client.ConnectAsync(cancellationToken), detach);
    }

    public async Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (HeaderBoundValues.Problem(message) is { } refusal)
        {
            throw new UpstreamRejectedException(refusal);
        }

        try
        {
            await _transport.SendMessageAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (Root<SessionEndedException>(ex) is { } ended)
        {
            throw ended;
        }
        catch (Exception ex) when (Root<ConnectorAuthorizationRequiredException>(ex) is { } unauthorized)
        {
            throw unauthorized;
        }
        catch (Exception ex) when (Root<ConnectorInsufficientScopeException>(ex) is { } insufficient)
        {
            throw insufficient;
        }
        catch (Exception ex) when (Root<UpstreamUnavailableException>(ex) is { } unavailable)
        {
            throw unavailable;
        }
        catch (McpProtocolException ex)
        {
            throw new UpstreamRejectedException(new JsonRpcErrorDetail
            {
                Code = (int)ex.ErrorCode,
                Message = ex.Message.Replace("Request failed (remote): ", "", StringComparison.Ordinal),
                // A client that negotiates its revision needs the versions the server supports.
                Data = ex is UnsupportedProtocolVersionException unsupported
                    ? new JsonObject { ["supported"] = new JsonArray([.. unsupported.Supported.Select(version => JsonValue.Create(version))]), ["requested"] = unsupported.Requested }
                    : null,
            });
        }
        catch (FormatException)
        {
            // A value the SDK puts in a header that HTTP cannot carry, past HeaderBoundValues: the request's fault, not an internal error.
            throw new UpstreamRejectedException(new JsonRpcErrorDetail
            {
                Code = (int)McpErrorCode.InvalidParams,
                Message = "The request holds a value that cannot be sent to the MCP server (a line break or NUL).",
            });
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new UpstreamSessionLostException("the server no longer knows the session", ex);
        }
        catch (HttpRequestException ex)
        {
            // Never the exception's message: it carries the upstream's response body.
            throw new UpstreamUnavailableException(ex.StatusCode is { } status ? $"it answered HTTP {(int)status}" : "it cannot be reached", ex);
        }
        catch (OperationCanceledException ex)
        {
            // The transport itself ended (its session expired): a new session is needed.
            throw new UpstreamSessionLostException("the transport was closed", ex);
        }
        catch (McpException ex)
        {
            throw new UpstreamUnavailableException("the answer stream ended without a reply", ex);
        }
    }

    /// <summary>Disposes the transport without ending the server's session: the SDK's DELETE is answered here, not sent.</summary>
    public ValueTask DetachAsync()
    {
        _detach?.Detach();
        return DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // The SDK's DELETE has no timeout of its own: bound the whole disposal.
        try
        {
            await _transport.DisposeAsync().AsTask().WaitAsync(DisposeTimeout);
        }
        catch (TimeoutException)
        {
        }

        await _client.DisposeAsync();
        await _pump;
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var message in _transport.MessageReader.ReadAllAsync())
            {
                await _messages.Writer.WriteAsync(message);
            }
        }
        catch (Exception ex) when (ex is ClientTransportClosedException or OperationCanceledException or ChannelClosedException)
        {
            // How the SDK ends its reader, even on a normal close: the session is over either way.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    private static T? Root<T>(Exception exception) where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
