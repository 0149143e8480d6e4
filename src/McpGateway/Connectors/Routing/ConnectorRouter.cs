using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpGateway.Mcp;
using McpGateway.Mcp.Resumable;
using McpGateway.Mcp.StreamableHttp;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// One browser session in front of several connectors: one <see cref="UpstreamLink"/> per connector (each connecting
/// lazily, with its own credentials), requests routed by tool or prompt prefix and by resource URI, lists merged, the
/// handshake answered once for all, and server-to-client requests given ids of the gateway's (<see cref="ServerRequestIds"/>).
/// Each server fails on its own: a list leaves it out and says so, a request routed to it gets a JSON-RPC error naming it.
/// </summary>
internal sealed class ConnectorRouter : IBridgeUpstream
{
    /// <summary>Deprecated in the 2026-07-28 revision, still sent by clients of the revisions the servers speak.</summary>
    private const string LoggingSetLevel = "logging/setLevel";

    private readonly ConnectorCatalog _catalog;
    private readonly ConnectorLink[] _links;
    private readonly Func<JsonRpcMessage, CancellationToken, Task> _toBrowser;
    private readonly ILogger _logger;
    private readonly ResourceOwners _resources = new();
    private readonly ServerRequestIds _serverRequests = new();
    private readonly ConcurrentDictionary<RequestId, ConnectorLink> _routed = new();
    private readonly ConcurrentDictionary<string, byte> _reportedDrops = new(StringComparer.Ordinal);
    /// <summary>How long one server may take for a merged list or the handshake before it is left out of it.</summary>
    private readonly TimeSpan _listBound;
    private JsonRpcRequest? _initialize;

    public ConnectorRouter(
        ConnectorCatalog catalog,
        IUpstreamSessionFactory factory,
        SessionId session,
        Func<JsonRpcMessage, CancellationToken, Task> toBrowser,
        Func<JsonRpcRequest, CancellationToken, Task<JsonRpcMessage?>> answerLocally,
        TimeSpan listBound,
        ILogger logger)
    {
        _catalog = catalog;
        _listBound = listBound;
        _toBrowser = toBrowser;
        _logger = logger;
        _links = [.. catalog.All.Select(connector =>
        {
            ConnectorLink? self = null;
            self = new ConnectorLink(connector, new UpstreamLink(factory, session, (message, cancellationToken) => FromServerAsync(self!, message, cancellationToken), answerLocally, logger, connector));
            self.Link.SessionsChanged = () => SessionsChanged?.Invoke();
            return self;
        })];
    }

    /// <summary>Several upstream sessions make no one id: each connector's is in <see cref="ConnectorSessions"/>.</summary>
    public string? UpstreamSessionId => null;

    /// <summary>Each connector's upstream session, what a resumable socket stores (<see cref="ConnectorSessionMap.Of"/>).</summary>
    public IReadOnlyDictionary<string, ConnectorSessionBinding> ConnectorSessions => ConnectorSessionMap.Of(_links);

    public Action? SessionsChanged { get; set; }

    public JsonRpcRequest? Initialize => _initialize;

    /// <summary>Each connector's link records its own calls (<see cref="InFlightJournal.For"/>).</summary>
    public InFlightJournal? Journal
    {
        get;
        set
        {
            field = value;
            foreach (var link in _links)
            {
                link.Link.Journal = value?.For(link.Connector.Name);
            }
        }
    }

    /// <summary>Each call is recovered by the link of the connector that relayed it (one the gateway no longer has answers it lost).</summary>
    public void Recover(IReadOnlyList<InFlightCall> calls, TimeSpan within)
    {
        foreach (var byConnector in calls.GroupBy(call => call.Key.Connector))
        {
            var link = _links.FirstOrDefault(link => link.Connector.Name == byConnector.Key) ?? _links[0];
            link.Link.Recover([.. byConnector], within);
        }
    }

    /// <summary>Continues each connector's session of <paramref name="connectors"/> (<see cref="ConnectorSessionMap.Resume"/>).</summary>
    public void Resume(string? upstreamSessionId, JsonRpcRequest initialize, IReadOnlyDictionary<string, ConnectorSessionBinding>? connectors = null, string? protocolVersion = null)
    {
        _initialize = initialize;
        ConnectorSessionMap.Resume(_links, initialize, connectors);
    }

    public async Task<JsonRpcMessage> RequestAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        switch (request.Method)
        {
            case RequestMethods.Initialize:
                return await InitializeAsync(request, cancellationToken);
            case RequestMethods.Ping:
                return JsonRpcCodec.Result(request.Id, new JsonObject());
            case var method when ListKind.Of(method) is { } kind:
                return await ListAsync(kind, request, cancellationToken);
            case RequestMethods.ToolsCall or RequestMethods.PromptsGet:
                return await ByNameAsync(request, cancellationToken);
            case RequestMethods.ResourcesRead or RequestMethods.ResourcesSubscribe or RequestMethods.ResourcesUnsubscribe:
                return await ByUriAsync(request, GatewayRequestHandler.Text(request.Params, "uri"), request, cancellationToken);
            case RequestMethods.CompletionComplete:
                return await CompleteAsync(request, cancellationToken);
            case LoggingSetLevel:
                return await ToAllAsync(request, cancellationToken);
            default:
                // A method the gateway does not route goes to the first connector (default), as a single server would get it.
                return await ForwardAsync(_links[0], request, cancellationToken);
        }
    }

    public async Task NotifyAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Method == NotificationMethods.CancelledNotification)
        {
            var requested = notification.Params?["requestId"]?.ToString();
            if (_routed.FirstOrDefault(pair => pair.Key.ToString() == requested).Value is { } owner)
            {
                await NotifyOneAsync(owner, notification, cancellationToken);
            }

            return;
        }

        // initialized, roots/list_changed and the rest: every server that holds the browser's session. One that does
        // not yet (its initialize failed) sends its own initialized when it connects.
        await Task.WhenAll(_links.Where(link => link.Initialized).Select(link => NotifyOneAsync(link, notification, cancellationToken)));
    }

    public async Task AnswerAsync(JsonRpcMessage answer, CancellationToken cancellationToken)
    {
        if (_serverRequests.FromBrowser(answer) is not { } pending)
        {
            RoutingLog.UnmatchedServerRequestAnswer(_logger);
            return;
        }

        await pending.Link.Link.AnswerAsync(pending.Answer, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var link in _links)
        {
            await link.Link.DisposeAsync();
        }
    }

    /// <summary>The socket was lost: every connector's session is left open for the browser that resumes it.</summary>
    public async ValueTask DetachAsync()
    {
        foreach (var link in _links)
        {
            await link.Link.DetachAsync();
        }
    }

    private async Task<JsonRpcMessage> InitializeAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(_links.Select(link => InitializeOneAsync(link, request, cancellationToken)));
        _initialize = request;
        var merged = InitializeMerger.Merge(GatewayRequestHandler.Text(request.Params, "protocolVersion"), [.. answers.OfType<JsonObject>()], GatewayOnlyUpstream.ProtocolVersion);
        return JsonRpcCodec.Result(request.Id, merged);
    }

    private async Task<JsonObject?> InitializeOneAsync(ConnectorLink link, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        string reason;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_listBound);
        try
        {
            var answer = await link.Link.RequestAsync(request, bounded.Token);
            if (answer is JsonRpcResponse { Result: JsonObject result })
            {
                link.Initialized = true;
                return result;
            }

            reason = answer is JsonRpcError error ? error.Error.Message : "it answered without a result";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A server that hangs does not hold up the browser's handshake with the others.
            reason = $"no answer within {_listBound.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ConnectorRpcErrors.ToState(ex) is { } state)
        {
            reason = $"{state.State}: {state.Reason}";
        }

        RoutingLog.ConnectorInitializeFailed(_logger, link.Connector.Name, reason);
        await link.Link.ExpectInitializeAsync(request);
        return null;
    }

    private async Task<JsonRpcMessage> ListAsync(ListKind kind, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        if (request.Params is JsonObject parameters && parameters["cursor"] is not null)
        {
            return JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidParams, "Invalid cursor: the gateway lists every server's pages at once and gives no cursors.");
        }

        var listings = await ListAllAsync(kind, request.Id, cancellationToken);
        var merged = ListMerger.Merge(kind, listings, _resources, (name, winner, loser) =>
        {
            if (_reportedDrops.TryAdd(kind.Method + " " + name, 0))
            {
                RoutingLog.ListEntryDropped(_logger, name, winner, loser);
            }
        });
        return JsonRpcCodec.Result(request.Id, merged);
    }

    private async Task<ConnectorListing[]> ListAllAsync(ListKind kind, RequestId id, CancellationToken cancellationToken)
    {
        var listings = await Task.WhenAll(_links.Select(link => ConnectorLister.ListAsync(link, kind, id, _listBound, cancellationToken)));
        foreach (var failed in listings.Where(listing => listing.Failed))
        {
            RoutingLog.ConnectorLeftOut(_logger, failed.Connector.Name, kind.Method, failed.State!, failed.Reason!);
        }

        return listings;
    }

    private async Task<JsonRpcMessage> ByNameAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        if (GatewayRequestHandler.Text(request.Params, "name") is not { } name)
        {
            return JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidParams, "params.name is missing.");
        }

        if (_catalog.Names.Route(name) is not { } route)
        {
            RoutingLog.UnroutedName(_logger, request.Method, name);
            return JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidParams, _catalog.Names.Unrouted(name));
        }

        var parameters = request.Params!.DeepClone().AsObject();
        parameters["name"] = route.Name;
        return await ForwardAsync(LinkOf(route.Connector), new JsonRpcRequest { Id = request.Id, Method = request.Method, Params = parameters }, cancellationToken);
    }

    private async Task<JsonRpcMessage> ByUriAsync(JsonRpcRequest request, string? uri, JsonRpcRequest relayed, CancellationToken cancellationToken)
    {
        if (uri is null)
        {
            return JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidParams, "params.uri is missing.");
        }

        if (_resources.Find(uri) is null)
        {
            // Not listed in this session yet (or resumed on this replica): learn who lists it, once.
            ListMerger.Merge(ListKind.Resources, await ListAllAsync(ListKind.Resources, request.Id, cancellationToken), _resources, static (_, _, _) => { });
            ListMerger.Merge(ListKind.Templates, await ListAllAsync(ListKind.Templates, request.Id, cancellationToken), _resources, static (_, _, _) => { });
        }

        return _resources.Find(uri) is { } owner
            ? await ForwardAsync(LinkOf(owner), relayed, cancellationToken)
            : new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.ResourceNotFound, Message = $"Resource not found: no connector lists '{uri}'.", Data = new JsonObject { ["uri"] = uri } },
            };
    }

    private async Task<JsonRpcMessage> CompleteAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var reference = request.Params?["ref"] as JsonObject;
        switch (GatewayRequestHandler.Text(reference, "type"))
        {
            case "ref/prompt" when GatewayRequestHandler.Text(reference, "name") is { } name:
                if (_catalog.Names.Route(name) is not { } route)
                {
                    return JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidParams, _catalog.Names.Unrouted(name));
                }

                var parameters = request.Params!.DeepClone().AsObject();
                parameters["ref"]!["name"] = route.Name;
                return await ForwardAsync(LinkOf(route.Connector), new JsonRpcRequest { Id = request.Id, Method = request.Method, Params = parameters }, cancellationToken);
            case "ref/resource":
                return await ByUriAsync(request, GatewayRequestHandler.Text(reference, "uri"), request, cancellationToken);
            default:
                return JsonRpcCodec.Error(request.Id, McpErrorCode.InvalidParams, "params.ref must be {type: \"ref/prompt\", name} or {type: \"ref/resource\", uri}.");
        }
    }

    /// <summary>logging/setLevel: every server; the first success answers, else the first failure.</summary>
    private async Task<JsonRpcMessage> ToAllAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(_links.Select(link => ForwardAsync(link, request, cancellationToken)));
        return answers.FirstOrDefault(answer => answer is JsonRpcResponse) ?? answers[0];
    }

    private async Task<JsonRpcMessage> ForwardAsync(ConnectorLink link, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        _routed[request.Id] = link;
        try
        {
            return await link.Link.RequestAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ConnectorRpcErrors.ToError(request.Id, link.Connector.Name, ex) is { } error)
        {
            RoutingLog.ConnectorRequestFailed(_logger, link.Connector.Name, request.Method, ex.Message);
            return error;
        }
        finally
        {
            _routed.TryRemove(KeyValuePair.Create(request.Id, link));
        }
    }

    private async Task NotifyOneAsync(ConnectorLink link, JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await link.Link.NotifyAsync(notification, cancellationToken);
        }
        catch (Exception ex) when (ex is not SessionEndedException && (ConnectorRpcErrors.ToState(ex) is not null || ex is OperationCanceledException))
        {
            RoutingLog.ConnectorNotificationFailed(_logger, link.Connector.Name, notification.Method, ex.GetType().Name);
        }
    }

    /// <summary>What a server sends outside an answer: its requests get a gateway id, the rest goes to the browser as is.</summary>
    private Task FromServerAsync(ConnectorLink link, JsonRpcMessage message, CancellationToken cancellationToken)
        => _toBrowser(_serverRequests.ToBrowser(link, message), cancellationToken);

    private ConnectorLink LinkOf(Connector connector) => _links.First(link => link.Connector == connector);
}
