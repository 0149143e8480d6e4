using McpGateway.Storage;

namespace McpGateway.Tests.Storage;

public sealed class InMemoryGatewayLocksTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Held_lock_is_not_given_to_a_second_caller_and_the_timeout_returns_null()
    {
        var locks = new InMemoryGatewayLocks();
        await using var first = await locks.TryAcquireAsync("dcr", Long, Cancellation);

        var second = await locks.TryAcquireAsync("dcr", TimeSpan.FromMilliseconds(50), Cancellation);

        Assert.NotNull(first);
        Assert.Null(second);
    }

    [Fact]
    public async Task Locks_of_different_names_are_independent()
    {
        var locks = new InMemoryGatewayLocks();
        await using var first = await locks.TryAcquireAsync("refresh:a", Long, Cancellation);

        await using var other = await locks.TryAcquireAsync("refresh:b", TimeSpan.Zero, Cancellation);

        Assert.NotNull(other);
    }

    [Fact]
    public async Task Names_are_case_sensitive()
    {
        var locks = new InMemoryGatewayLocks();
        await using var lower = await locks.TryAcquireAsync("refresh:abc", Long, Cancellation);

        await using var upper = await locks.TryAcquireAsync("refresh:ABC", TimeSpan.Zero, Cancellation);

        Assert.NotNull(upper);
    }

    [Fact]
    public async Task Release_lets_the_waiting_caller_in()
    {
        var locks = new InMemoryGatewayLocks();
        var first = await locks.TryAcquireAsync("dcr", Long, Cancellation);
        var waiter = locks.TryAcquireAsync("dcr", Long, Cancellation).AsTask();
        await Task.Delay(50, Cancellation);
        Assert.False(waiter.IsCompleted);

        await first!.DisposeAsync();
        await using var second = await waiter.WaitAsync(Long, Cancellation);

        Assert.NotNull(second);
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_callers_holds_the_lock_at_a_time()
    {
        var locks = new InMemoryGatewayLocks();
        var inside = 0;
        var maxInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var held = await locks.TryAcquireAsync("shared", Long, Cancellation);
            Assert.NotNull(held);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Yield();
            await Task.Delay(1, Cancellation);
            Interlocked.Decrement(ref inside);
        }, Cancellation)));

        Assert.Equal(1, maxInside);
    }

    [Fact]
    public async Task Disposing_a_handle_twice_releases_only_once()
    {
        var locks = new InMemoryGatewayLocks();
        var first = await locks.TryAcquireAsync("dcr", Long, Cancellation);
        await first!.DisposeAsync();
        await first.DisposeAsync();

        await using var second = await locks.TryAcquireAsync("dcr", TimeSpan.Zero, Cancellation);
        var third = await locks.TryAcquireAsync("dcr", TimeSpan.Zero, Cancellation);

        Assert.NotNull(second);
        Assert.Null(third);
    }

    [Fact]
    public async Task Cancelled_wait_throws_and_does_not_take_the_lock()
    {
        var locks = new InMemoryGatewayLocks();
        var first = await locks.TryAcquireAsync("dcr", Long, Cancellation);
        using var cancel = new CancellationTokenSource();
        var waiter = locks.TryAcquireAsync("dcr", Long, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        await first!.DisposeAsync();
        await using var next = await locks.TryAcquireAsync("dcr", TimeSpan.Zero, Cancellation);
        Assert.NotNull(next);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
