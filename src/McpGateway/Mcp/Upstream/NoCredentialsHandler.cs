namespace McpGateway.Mcp.Upstream;

/// <summary><c>none</c> mode: the server gets no <c>Authorization</c> header and no cookie, whatever asked for one.</summary>
internal sealed class NoCredentialsHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("Cookie");
        request.Headers.Authorization = null;
        return base.SendAsync(request, cancellationToken);
    }
}
