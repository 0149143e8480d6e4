using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Rest;

/// <summary>
/// The gateway as an MCP client of its own, for the REST endpoints: a short-lived upstream session
/// per call (initialize, the request, close), carrying the user's token like a bridged socket.
/// Server-to-client requests cannot be answered over REST and are declined.
/// </summary>
internal sealed class UpstreamToolClient(IUpstreamSessionFactory upstreams, ConnectorCatalog catalog, ILogger<UpstreamToolClient> logger)
{
    private const int MaxPages = 10;

    /// <summary>
    /// Every connector's tools, named <c>{prefix}{tool}</c> (the earlier connector wins a name), listed concurrently;
    /// a connector that fails is left out and named in <see cref="UpstreamToolList.Missing"/>. A single server without
    /// a prefix fails the whole list, as before connectors.
    /// </summary>
    public async Task<UpstreamToolList> ListAllAsync(SessionId session, CancellationToken cancellationToken)
    {
        if (catalog.IsSingleRelay)
        {
            return new UpstreamToolList(await ListToolsAsync(session, null, cancellationToken), []);
        }

        var listings = await Task.WhenAll(catalog.All.Select(connector => ListOneAsync(session, connector, cancellationToken)));
        var merged = ListMerger.Merge(ListKind.Tools, listings, new ResourceOwners(), static (_, _, _) => { });
        var tools = merged["tools"].Deserialize<List<Tool>>(McpJsonUtilities.DefaultOptions) ?? [];
        return new UpstreamToolList(tools, [.. listings.Where(listing => listing.Failed)]);
    }

    private async Task<ConnectorListing> ListOneAsync(SessionId session, Connector connector, CancellationToken cancellationToken)
    {
        try
        {
            var tools = await ListToolsAsync(session, connector, cancellationToken);
            return new ConnectorListing(connector, [.. tools.Select(tool => JsonSerializer.SerializeToNode(tool, McpJsonUtilities.DefaultOptions)!.AsObject())]);
        }
        catch (Exception ex) when (ConnectorRpcErrors.ToState(ex) is { } state)
        {
            return ConnectorListing.Failure(connector, state.State, state.Reason);
        }
    }

    private async Task<IReadOnlyList<Tool>> ListToolsAsync(SessionId session, Connector? connector, CancellationToken cancellationToken)
    {
        await using var link = await OpenAsync(session, connector, cancellationToken);
        var tools = new List<Tool>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var parameters = cursor is null ? new JsonObject() : new JsonObject { ["cursor"] = cursor };
            var answer = await link.RequestAsync(new JsonRpcRequest { Id = new RequestId(page + 1), Method = GatewayMethods.ToolsList, Params = parameters }, cancellationToken);
            if (answer is JsonRpcError { Error.Code: (int)McpErrorCode.MethodNotFound })
            {
                break;
            }

            var result = Expect(answer).Deserialize<ListToolsResult>(McpJsonUtilities.DefaultOptions) ?? new ListToolsResult();
            tools.AddRange(result.Tools);
            if ((cursor = result.NextCursor) is null)
            {
                break;
            }
        }

        return tools;
    }

    /// <returns>The upstream's answer: a response with a CallToolResult, or its JSON-RPC error.</returns>
    /// <remarks>With several connectors the name's prefix picks the server (and is stripped); a name of none gets an invalid-params error, nothing relayed.</remarks>
    public async Task<JsonRpcMessage> CallToolAsync(SessionId session, string name, JsonNode? arguments, CancellationToken cancellationToken)
    {
        Connector? connector = null;
        if (!catalog.IsSingleRelay)
        {
            if (catalog.Names.Route(name) is not { } route)
            {
                return JsonRpcCodec.Error(new RequestId(1), McpErrorCode.InvalidParams, catalog.Names.Unrouted(name));
            }

            (connector, name) = route;
        }

        await using var link = await OpenAsync(session, connector, cancellationToken);
        return await link.RequestAsync(new JsonRpcRequest
        {
            Id = new RequestId(1),
            Method = GatewayMethods.ToolsCall,
            Params = new JsonObject { ["name"] = name, ["arguments"] = arguments?.DeepClone() ?? new JsonObject() },
        }, cancellationToken);
    }

    private async Task<UpstreamLink> OpenAsync(SessionId session, Connector? connector, CancellationToken cancellationToken)
    {
        var link = new UpstreamLink(upstreams, session, (_, _) => Task.CompletedTask, DeclineAsync, logger, connector);
        try
        {
            Expect(await link.RequestAsync(new JsonRpcRequest
            {
                Id = new RequestId(0),
                Method = GatewayMethods.Initialize,
                Params = new JsonObject
                {
                    ["protocolVersion"] = GatewayOnlyUpstream.ProtocolVersion,
                    ["capabilities"] = new JsonObject(),
                    ["clientInfo"] = new JsonObject { ["name"] = "mcp-gateway-rest", ["version"] = "1.0" },
                },
            }, cancellationToken));
            await link.NotifyAsync(new JsonRpcNotification { Method = NotificationMethods.InitializedNotification }, cancellationToken);
            return link;
        }
        catch
        {
            await link.DisposeAsync();
            throw;
        }
    }

    private static JsonNode Expect(JsonRpcMessage answer) => answer switch
    {
        JsonRpcResponse { Result: { } result } => result,
        JsonRpcError error => throw new UpstreamRejectedException(error.Error),
        _ => throw new UpstreamUnavailableException("it answered without a result"),
    };

    private static Task<JsonRpcMessage?> DeclineAsync(JsonRpcRequest request, CancellationToken cancellationToken)
        => Task.FromResult<JsonRpcMessage?>(JsonRpcCodec.Error(request.Id, McpErrorCode.MethodNotFound,
            $"'{request.Method}' needs an interactive client: call this tool over the WebSocket (/mcp) instead of REST."));
}
