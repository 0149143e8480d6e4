using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using McpGateway.Connectors.Routing;
using McpGateway.Hosting.Telemetry;
using McpGateway.Limits;
using McpGateway.Mcp.Upstream;
using System.Text.Json.Nodes;
using McpGateway.Storage;
using ModelContextProtocol.Protocol;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// The Streamable HTTP MCP sessions of this replica. Each runs a <see cref="McpBridge"/> over an
/// <see cref="HttpBrowserTransport"/> from its <c>initialize</c> until DELETE, idleness
/// (<see cref="McpOptions.IdleTimeout"/>), the end of its owner's sign-in session, or shutdown. Ids
/// are 256 random bits, known only to the client: the gateway keeps their SHA-256, and a session
/// opens only with the cookie session that created it. Its binding (<see cref="IMcpSessionBindings"/>,
/// Redis) lets any replica resume it.
/// </summary>
internal sealed class McpHttpSessions(
    McpSocketRegistry registry,
    IMcpSessionBindings bindings,
    IGatewayEventBus events,
    IUpstreamSessionFactory upstreams,
    ConnectorCatalog connectors,
    GatewayRequestHandler local,
    ResultAugmenter augmenter,
    UserRateLimits limits,
    GatewayTelemetry telemetry,
    IOptions<McpOptions> options,
    TimeProvider time,
    ILogger<McpHttpSessions> logger) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

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
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return await StartAsync(user, KeyOf(id), binding: null) is { } session ? (session, id) : null;
    }

    /// <summary>
    /// Records a session whose initialize succeeded, so that every replica can resume it, and records it again whenever
    /// an upstream session of it is opened or replaced (behind the router, connectors' sessions open lazily).
    /// </summary>
    public async Task BindAsync(McpHttpSession session)
    {
        await SaveAsync(session);
        KeepBound(session);
    }

    private Task SaveAsync(McpHttpSession session)
        => bindings.SaveAsync(session.Key, new McpSessionBinding
        {
            OwnerKey = session.OwnerKey,
            Subject = session.Bridge.User.Subject,
            Name = session.Bridge.User.Name,
            UpstreamSessionId = session.Bridge.UpstreamSessionId,
            ProtocolVersion = session.ProtocolVersion,
            InitializeParams = session.Bridge.Initialize?.Params?.ToJsonString() ?? "{}",
            Connectors = session.Bridge.ConnectorSessions,
        }, options.Value.IdleTimeout, CancellationToken.None);

    private void KeepBound(McpHttpSession session) => session.Bridge.WhenSessionsChange(() => _ = RebindAsync(session));

    private async Task RebindAsync(McpHttpSession session)
    {
        if (session.Ending)
        {
            return;
        }

        try
        {
            await SaveAsync(session);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The session works here; resumed elsewhere, it would join the sessions the binding still names (or open new ones).
            McpHttpLog.BindingNotRefreshed(logger, ex.GetType().Name);
        }
    }

    /// <summary>
    /// The session of <paramref name="id"/> when the caller's sign-in session opened it; otherwise (unknown,
    /// ended, someone else's) none. A session another replica opened is resumed here, joining its
    /// upstream session.
    /// </summary>
    public async Task<McpHttpSession?> FindAsync(string id, BridgeUser user, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 256)
        {
            return null;
        }

        var key = KeyOf(id);
        if (_sessions.TryGetValue(key, out var session) && session.Transport.Closed is null)
        {
            if (!SameOwner(session.OwnerKey, user))
            {
                return null;
            }

            _ = TouchAsync(key);
            return session;
        }

        if (await bindings.FindAsync(key, cancellationToken) is not { } binding || !SameOwner(binding.OwnerKey, user))
        {
            return null;
        }

        _ = TouchAsync(key);
        return await StartAsync(user, key, binding);
    }

    /// <summary>Ends a session for good (DELETE, eviction, a failed initialize): on every replica, and its upstream session.</summary>
    public async Task EndAsync(McpHttpSession session, string reason)
    {
        session.Ending = true;
        await bindings.DeleteAsync(session.Key, CancellationToken.None);
        await events.PublishAsync(new GatewayEvent { Type = GatewayEvent.McpSessionEnded, SessionKey = session.Key, Reason = reason }, CancellationToken.None);
        await session.EndAsync(reason);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(OnEventAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Another replica ended a session for good: the copy resumed here ends too.</summary>
    private Task OnEventAsync(GatewayEvent gatewayEvent)
        => gatewayEvent.Type == GatewayEvent.McpSessionEnded && gatewayEvent.SessionKey is { } key && _sessions.TryGetValue(key, out var session)
            ? session.EndAsync(gatewayEvent.Reason ?? "Ended on another replica.")
            : Task.CompletedTask;

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

    private async Task<McpHttpSession?> StartAsync(BridgeUser user, string key, McpSessionBinding? binding)
    {
        var settings = options.Value;
        var logId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var transport = new HttpBrowserTransport();
        var bridge = new McpBridge(logId, transport, user, upstreams, local, augmenter, limits, telemetry, settings, time, logger, connectors);
        if (binding is not null)
        {
            bridge.Resume(binding.UpstreamSessionId, new JsonRpcRequest { Id = new RequestId("resumed-initialize"), Method = GatewayMethods.Initialize, Params = JsonNode.Parse(binding.InitializeParams) }, binding.Connectors, binding.ProtocolVersion);
        }

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
            await EndAsync(idlest, $"Ended for a newer session of the same user (at most {settings.MaxHttpSessionsPerUser}).");
        }

        var session = new McpHttpSession(key, user.Session.StorageKey, bridge, transport) { ProtocolVersion = binding?.ProtocolVersion };
        if (!_sessions.TryAdd(key, session))
        {
            // Two requests resumed the same session at once: the first one's stands.
            registry.Remove(bridge);
            await bridge.DisposeAsync();
            return _sessions.TryGetValue(key, out var first) ? first : null;
        }

        session.Running = RunAsync(session);
        if (binding is not null)
        {
            KeepBound(session);
            McpHttpLog.SessionResumed(logger, bridge.SocketId, user.Subject);
        }

        return session;
    }

    private async Task TouchAsync(string key)
    {
        try
        {
            await bindings.TouchAsync(key, options.Value.IdleTimeout, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the session still works here; only its resumption elsewhere may expire early.
            McpHttpLog.BindingNotRefreshed(logger, ex.GetType().Name);
        }
    }

    private static bool SameOwner(string ownerKey, BridgeUser user)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ownerKey), Encoding.ASCII.GetBytes(user.Session.StorageKey));

    private async Task RunAsync(McpHttpSession session)
    {
        // Off the request that created it: the session outlives that POST.
        await Task.Yield();
        var bridge = session.Bridge;
        using var scope = logger.BeginScope(new SocketLogScope(bridge.SocketId));
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
