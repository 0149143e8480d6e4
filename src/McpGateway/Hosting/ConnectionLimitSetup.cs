using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>Gives Kestrel its connection limit (<see cref="ConnectionLimit"/>) and says so at start-up.</summary>
internal sealed partial class ConnectionLimitSetup(IOptions<GatewayOptions> gateway, ILogger<ConnectionLimitSetup> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var descriptors = ConnectionLimit.ReadDescriptorLimit();
        var limit = ConnectionLimit.Resolve(gateway.Value.MaxConnections, descriptors);
        options.Limits.MaxConcurrentConnections = limit;
        if (limit is { } connections)
        {
            ConnectionLimitSet(logger, connections, descriptors?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
        }
    }

    [LoggerMessage(151, LogLevel.Information, "Accepting at most {Connections} connections at once (file-descriptor limit {Descriptors}); more are closed at once. Set Gateway:MaxConnections to change it.", EventName = "ConnectionLimitSet")]
    private static partial void ConnectionLimitSet(ILogger logger, long connections, string descriptors);
}
