using System.Collections.Concurrent;

namespace McpGateway.Connectors;

/// <summary>
/// What this replica last saw of each connector's server (not per user): the reason it was unreachable or
/// refused, until a later exchange succeeds. <c>GET /api/connectors</c> reports it as <c>unavailable</c>.
/// </summary>
internal sealed class ConnectorStatusBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConnectorFailure> _failures = new(StringComparer.Ordinal);

    public void ReportFailure(string connector, string reason) => _failures[connector] = new ConnectorFailure(reason, time.GetUtcNow());

    public void ReportSuccess(string connector) => _failures.TryRemove(connector, out _);

    public ConnectorFailure? FailureOf(string connector) => _failures.TryGetValue(connector, out var failure) ? failure : null;
}

/// <summary>Why a connector's server could not be used, and when that was seen.</summary>
internal sealed record ConnectorFailure(string Reason, DateTimeOffset At);
