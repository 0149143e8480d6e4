namespace McpGateway.Storage;

/// <summary>Publishes <see cref="GatewayEvent"/>s to every replica (Redis pub/sub), or within this process in single-instance mode.</summary>
internal interface IGatewayEventBus
{
    Task PublishAsync(GatewayEvent gatewayEvent, CancellationToken cancellationToken);

    /// <summary>Receives every event published by any replica, this one included, until disposed.</summary>
    IDisposable Subscribe(Func<GatewayEvent, Task> handler);
}
