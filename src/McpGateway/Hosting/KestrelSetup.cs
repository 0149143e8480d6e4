using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>Gives Kestrel its connection limit (<see cref="ConnectionLimit"/>), says so at start-up, and drops the <c>Server</c> header.</summary>
/// <remarks>
/// Reads the raw setting rather than the validated <see cref="GatewayOptions"/>: Kestrel is configured
/// before the options are validated, and a configuration error must reach the command line's one-line
/// report, not escape from the server's construction. A malformed value is reported by that validation.
/// </remarks>
internal sealed partial class KestrelSetup(IConfiguration configuration, ILogger<KestrelSetup> logger) : IConfigureOptions<KestrelServerOptions>
{
    public const string Key = GatewayOptions.SectionName + ":" + nameof(GatewayOptions.MaxConnections);

    public void Configure(KestrelServerOptions options)
    {
        var configured = long.TryParse(configuration[Key], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1 ? value : (long?)null;
        var descriptors = ConnectionLimit.ReadDescriptorLimit();
        var limit = ConnectionLimit.Resolve(configured, descriptors);
        options.Limits.MaxConcurrentConnections = limit;
        // No "Server: Kestrel" on every answer: nothing a client needs, something a scanner wants.
        options.AddServerHeader = false;
        if (limit is { } connections)
        {
            ConnectionLimitSet(logger, connections, descriptors?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
        }
    }

    [LoggerMessage(151, LogLevel.Information, "Accepting at most {Connections} connections at once (file-descriptor limit {Descriptors}); more are closed at once. Set Gateway:MaxConnections to change it.", EventName = "ConnectionLimitSet")]
    private static partial void ConnectionLimitSet(ILogger logger, long connections, string descriptors);
}
