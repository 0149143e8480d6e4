using System.Collections.Immutable;

namespace McpGateway.Storage;

/// <summary>The handlers of one replica; a failing handler is logged and does not stop the others.</summary>
internal sealed class EventSubscribers(ILogger logger)
{
    private ImmutableList<Func<GatewayEvent, Task>> _handlers = [];

    public IDisposable Add(Func<GatewayEvent, Task> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, handlers => handlers.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref _handlers, handlers => handlers.Remove(handler)));
    }

    public async Task DispatchAsync(GatewayEvent gatewayEvent)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(gatewayEvent);
            }
            catch (Exception ex)
            {
                StorageLog.EventHandlerFailed(logger, gatewayEvent.Type, ex);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
