using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.Storage;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp;

/// <summary>
/// The bridged sockets open on this replica, by user. It enforces the per-user limit, delivers the
/// events every replica hears (a context update goes to the user's sockets; an ended session closes
/// its sockets with 4401), and tells every socket to reconnect when the gateway shuts down.
/// </summary>
internal sealed class McpSocketRegistry : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, McpBridge>> _bySubject = new(StringComparer.Ordinal);
    private readonly IGatewayEventBus _events;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeSpan _drainTimeout;
    private IDisposable? _subscription;
    private CancellationTokenRegistration _stopping;
    private Task? _draining;

    public McpSocketRegistry(IGatewayEventBus events, IHostApplicationLifetime lifetime, Microsoft.Extensions.Options.IOptions<McpOptions> options)
    {
        _events = events;
        _lifetime = lifetime;
        _drainTimeout = options.Value.DrainTimeout;
    }

    public int Count => _bySubject.Values.Sum(sockets => sockets.Count);

    /// <returns><see langword="false"/> when the user already has <paramref name="maxPerUser"/> bridges of the same kind here (sockets and Streamable HTTP sessions are counted apart).</returns>
    public bool TryAdd(McpBridge bridge, int maxPerUser)
    {
        var sockets = _bySubject.GetOrAdd(bridge.User.Subject, _ => new ConcurrentDictionary<string, McpBridge>(StringComparer.Ordinal));
        lock (sockets)
        {
            if (sockets.Values.Count(open => open.Kind == bridge.Kind) >= maxPerUser)
            {
                return false;
            }

            sockets[bridge.SocketId] = bridge;
            return true;
        }
    }

    public void Remove(McpBridge bridge)
    {
        if (_bySubject.TryGetValue(bridge.User.Subject, out var sockets))
        {
            lock (sockets)
            {
                sockets.TryRemove(bridge.SocketId, out _);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _events.Subscribe(OnEventAsync);
        // As soon as shutdown begins (SIGTERM), before the server waits for open requests to finish.
        _stopping = _lifetime.ApplicationStopping.Register(() => _ = DrainAllAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => DrainAllAsync().WaitAsync(cancellationToken);

    public void Dispose()
    {
        _stopping.Dispose();
        _subscription?.Dispose();
    }

    /// <summary>
    /// Graceful shutdown, once: every connection stops taking requests, finishes the ones in flight within
    /// <see cref="McpOptions.DrainTimeout"/>, and is told to reconnect (1001); another replica will take it.
    /// </summary>
    private Task DrainAllAsync()
    {
        lock (_bySubject)
        {
            return _draining ??= Task.WhenAll(_bySubject.Values.SelectMany(sockets => sockets.Values)
                .Select(bridge => bridge.DrainAsync(_drainTimeout, McpCloseCodes.GoingAway, "The gateway is restarting; reconnect.")));
        }
    }

    private Task OnEventAsync(GatewayEvent gatewayEvent) => gatewayEvent.Type switch
    {
        GatewayEvent.SessionEnded when gatewayEvent.SessionKey is { } key => Task.WhenAll(
            _bySubject.Values.SelectMany(sockets => sockets.Values)
                .Where(bridge => bridge.User.Session.StorageKey == key)
                .Select(bridge => bridge.CloseAsync(McpCloseCodes.SessionEnded, "The session ended (" + (gatewayEvent.Reason ?? "signed out") + "); sign in again."))),

        GatewayEvent.ContextUpdated when gatewayEvent.Subject is { } subject && _bySubject.TryGetValue(subject, out var sockets) => Task.WhenAll(
            sockets.Values.Select(bridge => bridge.SendAsync(
                new JsonRpcNotification { Method = GatewayMethods.ContextUpdated, Params = gatewayEvent.Payload is { } payload ? JsonNode.Parse(payload.GetRawText()) : null },
                CancellationToken.None))),

        _ => Task.CompletedTask,
    };
}
