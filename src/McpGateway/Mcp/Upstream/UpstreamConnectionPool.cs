namespace McpGateway.Mcp.Upstream;

/// <summary>The one connection pool every socket's upstream requests share (tokens are per request, not per connection).</summary>
internal sealed class UpstreamConnectionPool : IDisposable
{
    public HttpMessageHandler Handler { get; } = new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    public void Dispose() => Handler.Dispose();
}
