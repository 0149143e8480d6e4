namespace McpGateway.Proxy;

/// <summary>The access token <see cref="ChatProxyGuard"/> obtained for this request, for the transform to attach.</summary>
internal sealed record ProxiedAccessToken(string Value);
