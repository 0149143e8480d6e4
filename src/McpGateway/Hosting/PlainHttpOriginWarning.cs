using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>
/// Warns at start-up when browsers reach the gateway over plain http anywhere but on this machine:
/// the session cookie then travels without <c>Secure</c> and the redirect URI is not protected by TLS.
/// </summary>
internal sealed partial class PlainHttpOriginWarning(IOptions<GatewayOptions> options, ILogger<PlainHttpOriginWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var origin = options.Value.PublicOriginUri;
        if (!options.Value.IsHttps && !origin.IsLoopback)
        {
            PlainHttpOrigin(logger, origin.GetLeftPart(UriPartial.Authority));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(150, LogLevel.Warning, "Gateway:PublicOrigin {Origin} is plain http on a non-loopback host: the session cookie is sent without TLS and without the __Host- prefix. Use https outside local development.", EventName = "PlainHttpOrigin")]
    private static partial void PlainHttpOrigin(ILogger logger, string origin);
}
