using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Limits;
using McpGateway.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpGateway.IntegrationTests.Limits;

/// <summary>The cross-replica socket count on a real Redis: atomic, released on close, and expiring with a replica that died.</summary>
[Collection(nameof(McpStackCollection))]
public sealed class RedisConnectionSlotsTests(McpStack stack)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replicas_racing_for_the_last_slots_never_take_more_than_the_cap()
    {
        await using var redis = await stack.Redis.ConnectAsync();
        var keys = Keys();
        var replicas = Enumerable.Range(0, 4).Select(_ => Slots(redis, keys, TimeSpan.FromSeconds(60))).ToList();

        var attempts = Enumerable.Range(0, 40).Select(i => replicas[i % 4].TryTakeAsync(ConnectionKind.Socket, "xena", "socket-" + i, 5, Cancellation).AsTask());
        var granted = (await Task.WhenAll(attempts)).Count(taken => taken);

        Assert.Equal(5, granted);
        await replicas[0].ReleaseAsync(ConnectionKind.Socket, "xena", "socket-0");
        await replicas[1].ReleaseAsync(ConnectionKind.Socket, "xena", "socket-1");
        var afterRelease = (await Task.WhenAll(Enumerable.Range(100, 5).Select(i => replicas[2].TryTakeAsync(ConnectionKind.Socket, "xena", "socket-" + i, 5, Cancellation).AsTask()))).Count(taken => taken);
        Assert.InRange(afterRelease, 0, 2);
        Assert.True(await replicas[3].TryTakeAsync(ConnectionKind.Socket, "someone-else", "socket-x", 5, Cancellation), "another user has slots of their own");
        Assert.True(await replicas[3].TryTakeAsync(ConnectionKind.EventStream, "xena", "stream-1", 5, Cancellation), "event streams are counted apart from sockets");
    }

    [Fact]
    public async Task The_slots_of_a_replica_that_stopped_renewing_expire_with_their_lease_while_a_live_replica_keeps_its_own()
    {
        await using var redis = await stack.Redis.ConnectAsync();
        var keys = Keys();
        var lease = TimeSpan.FromSeconds(1.5);
        var dead = Slots(redis, keys, lease);
        var alive = Slots(redis, keys, lease);

        Assert.True(await dead.TryTakeAsync(ConnectionKind.Socket, "yusuf", "a", 2, Cancellation));
        Assert.True(await alive.TryTakeAsync(ConnectionKind.Socket, "yusuf", "b", 2, Cancellation));
        Assert.False(await alive.TryTakeAsync(ConnectionKind.Socket, "yusuf", "c", 2, Cancellation));

        // The dead replica renews nothing; the live one renews its lease before it runs out.
        await Task.Delay(lease * 0.6, Cancellation);
        await alive.RenewAsync();
        await Task.Delay(lease * 0.6, Cancellation);

        Assert.True(await alive.TryTakeAsync(ConnectionKind.Socket, "yusuf", "c", 2, Cancellation), "the dead replica's slot should have expired");
        Assert.False(await alive.TryTakeAsync(ConnectionKind.Socket, "yusuf", "d", 2, Cancellation), "the live replica's renewed slot must still count");
    }

    [Fact]
    public async Task A_resumed_socket_takes_over_its_predecessors_slot_at_the_cap_and_keeps_it_when_a_predecessor_on_its_replica_closes()
    {
        await using var redis = await stack.Redis.ConnectAsync();
        var keys = Keys();
        var dead = Slots(redis, keys, TimeSpan.FromSeconds(60));
        var survivor = Slots(redis, keys, TimeSpan.FromSeconds(60));
        Assert.True(await dead.TryTakeAsync(ConnectionKind.Socket, "zora", "session-a", 2, Cancellation));
        Assert.True(await survivor.TryTakeAsync(ConnectionKind.Socket, "zora", "session-b", 2, Cancellation));

        // The user is at the cap; the socket that continues session-a on the other replica is let in, a new one is not.
        Assert.True(await survivor.TryTakeAsync(ConnectionKind.Socket, "zora", "session-a", 2, Cancellation), "a resumed socket takes over its own slot");
        Assert.False(await survivor.TryTakeAsync(ConnectionKind.Socket, "zora", "session-c", 2, Cancellation));

        // session-b resumed on its own replica before its predecessor closed: the predecessor's close leaves the slot held.
        Assert.True(await survivor.TryTakeAsync(ConnectionKind.Socket, "zora", "session-b", 2, Cancellation));
        await survivor.ReleaseAsync(ConnectionKind.Socket, "zora", "session-b");
        Assert.False(await survivor.TryTakeAsync(ConnectionKind.Socket, "zora", "session-c", 2, Cancellation), "session-b is still open");
        await survivor.ReleaseAsync(ConnectionKind.Socket, "zora", "session-b");
        Assert.True(await survivor.TryTakeAsync(ConnectionKind.Socket, "zora", "session-c", 2, Cancellation), "session-b's last socket closed");
    }

    private static RedisKeyspace Keys() => new(Options.Create(new RedisOptions { KeyPrefix = "slots-" + Guid.NewGuid().ToString("N")[..8] + ":" }));

    private static RedisConnectionSlots Slots(StackExchange.Redis.IConnectionMultiplexer redis, RedisKeyspace keys, TimeSpan lease)
        => new(redis, keys, TimeProvider.System, NullLogger<RedisConnectionSlots>.Instance, lease);
}
