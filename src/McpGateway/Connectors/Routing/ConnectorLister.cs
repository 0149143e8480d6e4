using McpGateway.Connectors.Endpoints;
using System.Text.Json.Nodes;
using McpGateway.Mcp;
using McpGateway.Mcp.Upstream;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// Lists one connector completely: every page of a list method, server-side (at most <see cref="MaxPages"/>), so the
/// browser gets one merged list without cursors. A server without the method lists nothing; one that fails is a
/// <see cref="ConnectorListing.Failure"/> with its state.
/// </summary>
internal static class ConnectorLister
{
    public const int MaxPages = 50;

    /// <summary>Every page of <paramref name="kind"/> at <paramref name="link"/>'s server, within <paramref name="bound"/>: a server that hangs is left out, not waited for by the others.</summary>
    public static async Task<ConnectorListing> ListAsync(ConnectorLink link, ListKind kind, RequestId id, TimeSpan bound, CancellationToken requestCancellation)
    {
        var entries = new List<JsonObject>();
        string? cursor = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestCancellation);
        timeout.CancelAfter(bound);
        var cancellationToken = timeout.Token;
        try
        {
            for (var page = 0; page < MaxPages; page++)
            {
                var parameters = cursor is null ? new JsonObject() : new JsonObject { ["cursor"] = cursor };
                var answer = await link.Link.RequestAsync(new JsonRpcRequest { Id = id, Method = kind.Method, Params = parameters }, cancellationToken);
                switch (answer)
                {
                    case JsonRpcError { Error.Code: (int)McpErrorCode.MethodNotFound }:
                        return new ConnectorListing(link.Connector, entries);
                    case JsonRpcError error:
                        return ConnectorListing.Failure(link.Connector, ConnectorStatus.Unavailable, $"it failed {kind.Method}: {error.Error.Message}");
                    case JsonRpcResponse { Result: JsonObject result }:
                        entries.AddRange((result[kind.Member] as JsonArray ?? []).OfType<JsonObject>());
                        cursor = GatewayRequestHandler.Text(result, "nextCursor");
                        if (cursor is null)
                        {
                            return new ConnectorListing(link.Connector, entries);
                        }

                        break;
                    default:
                        return ConnectorListing.Failure(link.Connector, ConnectorStatus.Unavailable, $"it answered {kind.Method} without a result");
                }
            }

            // More pages than the bound: what was listed is kept; the rest of a runaway server's list is not.
            return new ConnectorListing(link.Connector, entries);
        }
        catch (OperationCanceledException) when (!requestCancellation.IsCancellationRequested)
        {
            return ConnectorListing.Failure(link.Connector, ConnectorStatus.Unavailable, $"no answer to {kind.Method} within {bound.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ConnectorRpcErrors.ToState(ex) is { } state)
        {
            return ConnectorListing.Failure(link.Connector, state.State, state.Reason);
        }
    }
}
