using System.Net.Http.Headers;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Puts the user's current access token on every upstream HTTP request (the POSTs, the GET stream and
/// its reconnections, the DELETE), so a socket open for hours always sends a fresh token. The
/// browser's cookie never goes upstream: the gateway's own requests carry none, and none is copied.
/// </summary>
internal sealed class BearerTokenHandler(UpstreamTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
        request.Headers.Remove("Cookie");
        return await base.SendAsync(request, cancellationToken);
    }
}
