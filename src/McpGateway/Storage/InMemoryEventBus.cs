namespace McpGateway.Storage;

internal sealed class InMemoryEventBus(ILogger<InMemoryEventBus> logger) : IGatewayEventBus
{
    private readonly EventSubscribers _subscribers = new(logger);

    public Task PublishAsync(GatewayEvent gatewayEvent, CancellationToken cancellationToken) => _subscribers.DispatchAsync(gatewayEvent);

    public IDisposable Subscribe(Func<GatewayEvent, Task> handler) => _subscribers.Add(handler);
}
