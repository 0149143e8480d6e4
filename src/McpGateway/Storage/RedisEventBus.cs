using System.Text.Json;
using McpGateway.Hosting;
using StackExchange.Redis;

namespace McpGateway.Storage;

/// <summary>
/// Events over one Redis pub/sub channel. The channel is subscribed once per replica, on the first
/// subscriber, and StackExchange.Redis re-establishes the subscription after a reconnection.
/// </summary>
internal sealed class RedisEventBus : IGatewayEventBus
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisEventBus> _logger;
    private readonly EventSubscribers _subscribers;
    private readonly RedisChannel _channel;
    private readonly Lock _gate = new();
    private Task? _subscribed;

    public RedisEventBus(IConnectionMultiplexer redis, RedisKeyspace keys, ILogger<RedisEventBus> logger)
    {
        _redis = redis;
        _logger = logger;
        _subscribers = new EventSubscribers(logger);
        _channel = keys.Channel("events");
    }

    public async Task PublishAsync(GatewayEvent gatewayEvent, CancellationToken cancellationToken)
        => await _redis.GetSubscriber().PublishAsync(_channel, JsonSerializer.SerializeToUtf8Bytes(gatewayEvent, GatewayJsonContext.Default.GatewayEvent));

    public IDisposable Subscribe(Func<GatewayEvent, Task> handler)
    {
        var subscription = _subscribers.Add(handler);
        lock (_gate)
        {
            // Subscribe once; again if the first attempt failed because Redis was away.
            if (_subscribed is null || _subscribed.IsFaulted)
            {
                _subscribed = _redis.GetSubscriber().SubscribeAsync(_channel, OnMessage);
            }
        }

        return subscription;
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        GatewayEvent? gatewayEvent;
        try
        {
            gatewayEvent = JsonSerializer.Deserialize((byte[])message!, GatewayJsonContext.Default.GatewayEvent);
        }
        catch (JsonException)
        {
            StorageLog.EventUnreadable(_logger);
            return;
        }

        if (gatewayEvent is not null)
        {
            _ = _subscribers.DispatchAsync(gatewayEvent);
        }
    }
}
