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
/// <see cref="Messages"/>. The standalone GET stream is not the SDK's: it is opened by a
/// <see cref="StandaloneStreamReader"/> only when <see cref="StandaloneStreamRule"/> says the server may use it.
/// </summary>
internal sealed class StreamableHttpUpstream : IUpstreamSession
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);
    private readonly HttpClientTransport _client;
    private readonly ITransport _transport;
    private readonly SessionDetachHandler? _detach;
    private readonly Channel<JsonRpcMessage> _messages = Channel.CreateUnbounded<JsonRpcMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private readonly StandaloneStreamReader _standalone;
    private readonly CancellationTokenSource _standaloneStop = new();
    private readonly ILogger _logger;
    private Task? _standaloneRun;
    private RequestId? _initializeId;
    private bool _clientInvitesRequests;
    private bool _serverMaySend;
    private string? _protocolVersion;

    private StreamableHttpUpstream(
        HttpClientTransport client, ITransport transport, Uri endpoint, HttpClient http, TimeProvider time, ILogger logger, SessionDetachHandler? detach)
    {
        _client = client;
        _transport = transport;
        _detach = detach;
        _logger = logger;
        _standalone = new StandaloneStreamReader(http, endpoint, () => _transport.SessionId, () => Volatile.Read(ref _protocolVersion), _messages.Writer, time, logger);
        _pump = PumpAsync();
    }

    public ChannelReader<JsonRpcMessage> Messages => _messages.Reader;

    public string? SessionId => _transport.SessionId;

    /// <summary>Whether the standalone stream was opened (for the tests).</summary>
    internal bool StandaloneStreamOpened => Volatile.Read(ref _standaloneRun) is not null;

    /// <summary>Connects (joining <paramref name="knownSessionId"/> when given); <paramref name="detach"/>, the outermost handler of <paramref name="http"/>, lets <see cref="DetachAsync"/> keep the session open.</summary>
    public static async Task<StreamableHttpUpstream> ConnectAsync(
        Uri endpoint, HttpClient http, ILoggerFactory loggers, string? knownSessionId, CancellationToken cancellationToken,
        SessionDetachHandler? detach = null, TimeProvider? time = null)
    {
        var client = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                Name = "upstream",
                KnownSessionId = knownSessionId,
                EnableStandaloneGetStream = false,
            },
            http,
            loggers,
            ownsHttpClient: true);
        var upstream = new StreamableHttpUpstream(
            client, await client.ConnectAsync(cancellationToken), endpoint, http, time ?? TimeProvider.System, loggers.CreateLogger<StandaloneStreamReader>(), detach);
        if (knownSessionId is not null)
        {
            // Joined from another replica: what the browser negotiated there is not known here, so the stream is kept.
            upstream.OpenStandaloneStream("resumed session");
        }

        return upstream;
    }

    public async Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (HeaderBoundValues.Problem(message) is { } refusal)
        {
            throw new UpstreamRejectedException(refusal);
        }

        Observe(message);
        try
        {
            await _transport.SendMessageAsync(message, cancellationToken);
            if (message is JsonRpcNotification { Method: NotificationMethods.InitializedNotification } && (_clientInvitesRequests || _serverMaySend))
            {
                OpenStandaloneStream(_clientInvitesRequests ? "the client declared sampling, elicitation or roots" : "the server announced notifications");
            }
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
        await _standaloneStop.CancelAsync();
        if (Volatile.Read(ref _standaloneRun) is { } standalone)
        {
            await standalone;
        }

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
        _standaloneStop.Dispose();
    }

    /// <summary>Notes what the browser asks for that may need the standalone stream; a subscription opens it at once.</summary>
    private void Observe(JsonRpcMessage message)
    {
        if (message is not JsonRpcRequest request)
        {
            return;
        }

        if (request.Method == RequestMethods.Initialize)
        {
            _clientInvitesRequests = StandaloneStreamRule.ClientInvitesRequests(request.Params);
            _initializeId = request.Id;
        }
        else if (StandaloneStreamRule.RequestStartsTraffic(request.Method))
        {
            OpenStandaloneStream(request.Method);
        }
    }

    /// <summary>The server's answer to <c>initialize</c>: its capabilities and the protocol version for the stream's header.</summary>
    private void ObserveAnswer(JsonRpcMessage message)
    {
        if (message is JsonRpcResponse response && _initializeId is { } initialize && response.Id == initialize)
        {
            _serverMaySend = StandaloneStreamRule.ServerMaySend(response.Result?["capabilities"]);
            Volatile.Write(ref _protocolVersion, response.Result?["protocolVersion"] is JsonValue version && version.TryGetValue<string>(out var text) ? text : null);
        }
    }

    private void OpenStandaloneStream(string reason)
    {
        if (Volatile.Read(ref _standaloneRun) is not null || _standaloneStop.IsCancellationRequested)
        {
            return;
        }

        var run = new Task<Task>(RunStandaloneStreamAsync);
        if (Interlocked.CompareExchange(ref _standaloneRun, run.Unwrap(), null) is null)
        {
            McpLog.StandaloneStreamOpened(_logger, reason);
            run.Start(TaskScheduler.Default);
        }
    }

    private async Task RunStandaloneStreamAsync()
    {
        if (await _standalone.RunAsync(_standaloneStop.Token) == StandaloneStreamEnd.SessionLost)
        {
            // The server forgot the session: the link sees its messages end and opens a new one.
            _messages.Writer.TryComplete();
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var message in _transport.MessageReader.ReadAllAsync())
            {
                ObserveAnswer(message);
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
