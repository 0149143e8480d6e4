using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;

namespace McpGateway.Tests.Storage;

public sealed class InMemoryEventBusTests
{
    private static readonly GatewayEvent Ended = new() { Type = GatewayEvent.SessionEnded, SessionKey = "k" };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_subscriber_receives_a_published_event()
    {
        var bus = new InMemoryEventBus(new CapturingLogger<InMemoryEventBus>());
        var first = new List<GatewayEvent>();
        var second = new List<GatewayEvent>();
        using var a = bus.Subscribe(e => Record(first, e));
        using var b = bus.Subscribe(e => Record(second, e));

        await bus.PublishAsync(Ended, Cancellation);

        Assert.Same(Ended, Assert.Single(first));
        Assert.Same(Ended, Assert.Single(second));
    }

    [Fact]
    public async Task A_failing_subscriber_is_logged_and_does_not_stop_the_others()
    {
        var logger = new CapturingLogger<InMemoryEventBus>();
        var bus = new InMemoryEventBus(logger);
        var received = new List<GatewayEvent>();
        using var failing = bus.Subscribe(_ => throw new InvalidOperationException("handler broke"));
        using var working = bus.Subscribe(e => Record(received, e));

        await bus.PublishAsync(Ended, Cancellation);

        Assert.Single(received);
        Assert.Contains(logger.Entries, entry => entry.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Disposed_subscription_receives_nothing_more_and_disposing_twice_is_safe()
    {
        var bus = new InMemoryEventBus(new CapturingLogger<InMemoryEventBus>());
        var kept = new List<GatewayEvent>();
        var dropped = new List<GatewayEvent>();
        using var keep = bus.Subscribe(e => Record(kept, e));
        var drop = bus.Subscribe(e => Record(dropped, e));

        drop.Dispose();
        drop.Dispose();
        await bus.PublishAsync(Ended, Cancellation);

        Assert.Empty(dropped);
        Assert.Single(kept);
    }

    [Fact]
    public async Task Same_handler_subscribed_twice_is_removed_one_subscription_at_a_time()
    {
        var bus = new InMemoryEventBus(new CapturingLogger<InMemoryEventBus>());
        var received = new List<GatewayEvent>();
        Func<GatewayEvent, Task> handler = e => Record(received, e);
        var first = bus.Subscribe(handler);
        using var second = bus.Subscribe(handler);

        first.Dispose();
        await bus.PublishAsync(Ended, Cancellation);

        Assert.Single(received);
    }

    private static Task Record(List<GatewayEvent> into, GatewayEvent gatewayEvent)
    {
        lock (into)
        {
            into.Add(gatewayEvent);
        }

        return Task.CompletedTask;
    }
}
