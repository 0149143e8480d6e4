using McpGateway.Auth.Tokens;
using McpGateway.Sessions;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Opens an upstream session for a socket: Streamable HTTP through the SDK, or a WebSocket. Every
/// socket gets its own token-attaching handler chain over one shared connection pool.
/// </summary>
internal sealed class UpstreamSessionFactory(
    IOptions<McpUpstreamOptions> options,
    SessionTokenService tokens,
    UpstreamConnectionPool pool,
    TimeProvider time,
    ILoggerFactory loggers) : IUpstreamSessionFactory
{
    public Task<IUpstreamSession> ConnectAsync(SessionId session, CancellationToken cancellationToken)
        => ConnectAsync(session, null, cancellationToken);

    public async Task<IUpstreamSession> ConnectAsync(SessionId session, string? knownSessionId, CancellationToken cancellationToken)
    {
        var upstream = options.Value;
        if (!upstream.IsConfigured)
        {
            return new GatewayOnlyUpstream();
        }

        var tokenSource = new UpstreamTokenSource(tokens, session, time);
        if (upstream.IsWebSocket)
        {
            return await WebSocketUpstream.ConnectAsync(upstream.Uri, tokenSource, cancellationToken);
        }

        var handlers = new BearerTokenHandler(tokenSource, loggers.CreateLogger<BearerTokenHandler>()) { InnerHandler = new SessionGuardHandler(time) { InnerHandler = pool.Handler } };
        // The per-request timeout is the bridge's: HttpClient's would cut streams whose headers come late.
        var http = new HttpClient(handlers, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        return await StreamableHttpUpstream.ConnectAsync(upstream.Uri, http, loggers, knownSessionId, cancellationToken);
    }
}
