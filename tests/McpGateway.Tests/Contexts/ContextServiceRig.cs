using McpGateway.Contexts;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Contexts;

/// <summary>A <see cref="ContextService"/> on the in-memory store and event bus, a fake clock, and every event it published.</summary>
internal sealed class ContextServiceRig : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 5, 4, 8, 30, 0, TimeSpan.Zero);

    private readonly IDisposable _subscription;

    public ContextServiceRig(ContextOptions options, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? Start);
        var bus = new InMemoryEventBus(new CapturingLogger<InMemoryEventBus>());
        _subscription = bus.Subscribe(published =>
        {
            lock (Events)
            {
                Events.Add(published);
            }

            return Task.CompletedTask;
        });
        Service = new ContextService(new InMemoryContextStore(Time), bus, Options.Create(options), Time);
    }

    public FakeTimeProvider Time { get; }

    public List<GatewayEvent> Events { get; } = [];

    public ContextService Service { get; }

    public void Dispose() => _subscription.Dispose();
}
