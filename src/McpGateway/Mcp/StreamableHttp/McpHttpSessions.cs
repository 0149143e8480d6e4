using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using McpGateway.Hosting.Telemetry;
using McpGateway.Limits;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// The Streamable HTTP MCP sessions of this replica. Each runs a <see cref="McpBridge"/> over an
/// <see cref="HttpBrowserTransport"/> from its <c>initialize</c> until DELETE, idleness
/// (<see cref="McpOptions.IdleTimeout"/>), the end of its owner's sign-in session, or shutdown. Ids
/// are 256 random bits, known only to the client: the gateway keeps their SHA-256, and a session
/// opens only with the cookie session that created it.
/// </summary>
internal sealed class McpHttpSessions(
    McpSocketRegistry registry,
    IUpstreamSessionFactory upstreams,
    GatewayRequestHandler local,
    ResultAugmenter augmenter,
    UserRateLimits limits,
    GatewayTelemetry telemetry,
    IOptions<McpOptions> options,
    TimeProvider time,
    ILogger<McpHttpSessions> logger)
{
    private readonly ConcurrentDictionary<string, McpHttpSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _streamsBySubject = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    /// <summary>
    /// Opens a session. A user at <see cref="McpOptions.MaxHttpSessionsPerUser"/> loses the session idle
    /// the longest (clients seldom DELETE theirs; that one's next request gets 404 and starts anew).
    /// </summary>
    /// <returns>The new session and its id, or <see langword="null"/> when every session of the user has a request in flight.</returns>
    public async Task<(McpHttpSession Session, string Id)?> TryOpenAsync(BridgeUser user)
    {
        var settings = options.Value;
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var logId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var transport = new HttpBrowserTransport();
        var bridge = new McpBridge(logId, transport, user, upstreams, local, augmenter, limits, telemetry, settings, time, logger);
        while (!registry.TryAdd(bridge, settings.MaxHttpSessionsPerUser))
        {
            var idlest = _sessions.Values
                .Where(open => open.Bridge.User.Subject == user.Subject && !open.Bridge.IsBusy && open.Transport.Closed is null)
                .MinBy(open => open.Bridge.LastActivity);
            if (idlest is null)
            {
                await bridge.DisposeAsync();
                return null;
            }

            McpHttpLog.SessionEvicted(logger, idlest.Bridge.SocketId, user.Subject);
            await idlest.EndAsync($"Ended for a newer session of the same user (at most {settings.MaxHttpSessionsPerUser}).");
        }

        var session = new McpHttpSession(KeyOf(id), user.Session.StorageKey, bridge, transport);
        _sessions[session.Key] = session;
        session.Running = RunAsync(session);
        return (session, id);
    }

    /// <summary>The session of <paramref name="id"/> when <paramref name="owner"/> opened it; otherwise (unknown, ended, someone else's) none.</summary>
    public McpHttpSession? Find(string id, SessionId owner)
        => id.Length is > 0 and <= 256
           && _sessions.TryGetValue(KeyOf(id), out var session)
           && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(session.OwnerKey), Encoding.ASCII.GetBytes(owner.StorageKey))
           && session.Transport.Closed is null
            ? session
            : null;

    /// <returns><see langword="false"/> when the user has <see cref="McpOptions.MaxStreamsPerUser"/> standalone streams open here.</returns>
    public bool TryReserveStream(string subject)
    {
        var max = options.Value.MaxStreamsPerUser;
        while (true)
        {
            var open = _streamsBySubject.GetOrAdd(subject, 0);
            if (open >= max)
            {
                return false;
            }

            if (_streamsBySubject.TryUpdate(subject, open + 1, open))
            {
                return true;
            }
        }
    }

    public void ReleaseStream(string subject) => _streamsBySubject.AddOrUpdate(subject, 0, (_, open) => Math.Max(0, open - 1));

    private async Task RunAsync(McpHttpSession session)
    {
        // Off the request that created it: the session outlives that POST.
        await Task.Yield();
        var bridge = session.Bridge;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SocketId"] = bridge.SocketId });
        McpHttpLog.SessionOpened(logger, bridge.SocketId, bridge.User.Subject);
        try
        {
            await bridge.RunAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            McpHttpLog.BridgeFailed(logger, bridge.SocketId, ex);
        }
        finally
        {
            _sessions.TryRemove(KeyValuePair.Create(session.Key, session));
            registry.Remove(bridge);
            await bridge.DisposeAsync();
            McpHttpLog.SessionClosed(logger, bridge.SocketId, bridge.ClosedStatus, bridge.ClosedReason);
        }
    }

    private static string KeyOf(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
