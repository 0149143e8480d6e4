using System.Net;
using System.Net.Http.Headers;
using McpGateway.Connectors;
using McpGateway.Sessions;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// <c>discover</c> mode: puts the user's token for this one connector (from <see cref="IConnectorCredentials"/>) on every
/// request to its server. A 401 gets one retry with the replacement the credentials offer; without one, or refused
/// again, the request fails with <see cref="ConnectorAuthorizationRequiredException"/> (the user must authorize again).
/// A step-up demand (<see cref="ConnectorInsufficientScopeException"/> from the inner handler) is told to the credentials,
/// so the next authorization asks for that scope.
/// </summary>
internal sealed class ConnectorTokenHandler(IConnectorCredentials credentials, SessionId session, Connector connector) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("Cookie");
        var token = await credentials.GetAccessTokenAsync(session, connector, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await SendOnceAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        if (await credentials.ReplaceRejectedAsync(session, connector, token, cancellationToken) is not { } replacement || replacement == token)
        {
            throw new ConnectorAuthorizationRequiredException(connector.Name, "the server refused the token");
        }

        // The SDK's request bodies are buffered JSON, so the same request can be sent again.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", replacement);
        response = await SendOnceAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new ConnectorAuthorizationRequiredException(connector.Name, "the server refused the refreshed token");
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (ConnectorInsufficientScopeException insufficient)
        {
            await credentials.InsufficientScopeAsync(session, connector, insufficient.Scope, cancellationToken);
            throw;
        }
    }
}
