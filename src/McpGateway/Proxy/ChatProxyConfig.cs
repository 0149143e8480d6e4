using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace McpGateway.Proxy;

/// <summary>
/// The only route YARP serves: <c>POST /api/v2/chat</c> to <c>Upstreams:Chat:Url</c>, for signed-in
/// users, rate limited, with the access token attached. Nothing else is forwarded: no open proxy.
/// </summary>
internal sealed class ChatProxyConfig(IOptions<ChatUpstreamOptions> options) : IProxyConfigProvider
{
    public const string RouteId = "chat";
    public const string Path = "/api/v2/chat";
    public const string RateLimiterPolicy = "chat";

    /// <summary>Route metadata that asks <see cref="AccessTokenTransformProvider"/> for the bearer token.</summary>
    public const string AttachAccessToken = "McpGateway.AttachAccessToken";

    private readonly Snapshot _snapshot = Build(options.Value);

    public IProxyConfig GetConfig() => _snapshot;

    private static Snapshot Build(ChatUpstreamOptions chat)
    {
        if (!chat.IsConfigured)
        {
            return new Snapshot([], []);
        }

        var route = new RouteConfig
        {
            RouteId = RouteId,
            ClusterId = RouteId,
            Match = new RouteMatch { Path = Path, Methods = ["POST"] },
            AuthorizationPolicy = "default",
            RateLimiterPolicy = RateLimiterPolicy,
            Metadata = new Dictionary<string, string> { [AttachAccessToken] = "true" },
        };
        var cluster = new ClusterConfig
        {
            ClusterId = RouteId,
            Destinations = new Dictionary<string, DestinationConfig> { ["chat"] = new() { Address = chat.Url } },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = chat.Timeout },
        };
        return new Snapshot([route], [cluster]);
    }

    private sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
