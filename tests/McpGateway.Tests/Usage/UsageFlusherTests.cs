using McpGateway.Usage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Usage;

/// <summary>
/// When counted usage reaches the store: within 0.1 s (what a replica killed outright can lose), and after a failed
/// write not again before a second has passed (an unreachable Redis is not asked ten times a second).
/// </summary>
public sealed class UsageFlusherTests : IAsyncLifetime
{
    private readonly TimerCountingTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingUsageStore _store = new();
    private readonly UsageLedger _ledger;
    private readonly UsageFlusher _flusher;

    public UsageFlusherTests()
    {
        _ledger = new UsageLedger(_store);
        _flusher = new UsageFlusher(_ledger, _time, NullLogger<UsageFlusher>.Instance);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _flusher.StartAsync(Cancellation);

    public async ValueTask DisposeAsync()
    {
        _store.Failing = false;
        await _flusher.StopAsync(CancellationToken.None);
        _flusher.Dispose();
        _ledger.Dispose();
    }

    [Fact]
    public async Task Counted_usage_is_written_within_a_tenth_of_a_second()
    {
        _ledger.Record("alice", new ChatUsage("gpt", "openai", 10, 5, 15));
        await EventuallyAsync(() => _time.TimersCreated == 1);

        _time.Advance(UsageFlusher.Interval - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50, Cancellation);
        Assert.Equal(0, _store.Attempts);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => _store.Attempts == 1);
        Assert.False(_ledger.HasPending);
        Assert.Equal(15, Assert.Single(UsageCounters.Read(await _store.ReadAsync("alice", Cancellation))).TotalTokens);
    }

    [Fact]
    public async Task After_a_failed_write_the_next_try_waits_a_second_and_nothing_is_lost()
    {
        _store.Failing = true;
        _ledger.Record("alice", new ChatUsage("gpt", "openai", 10, 5, 15));
        await EventuallyAsync(() => _time.TimersCreated == 1);
        _time.Advance(UsageFlusher.Interval);
        await EventuallyAsync(() => _store.Attempts == 1);
        _store.Failing = false;

        // The wait after the failure is the second timer the flusher asks for; until a second has passed, no try.
        await EventuallyAsync(() => _time.TimersCreated == 2);
        _time.Advance(UsageFlusher.RetryInterval - UsageFlusher.Interval);
        await Task.Delay(50, Cancellation);
        Assert.Equal(1, _store.Attempts);
        Assert.True(_ledger.HasPending);

        _time.Advance(UsageFlusher.Interval);
        await EventuallyAsync(() => _store.Attempts == 2);
        await EventuallyAsync(() => !_ledger.HasPending);
        Assert.Equal(15, Assert.Single(UsageCounters.Read(await _store.ReadAsync("alice", Cancellation))).TotalTokens);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 5_000, "the flusher did not get there");
            await Task.Delay(10, Cancellation);
        }
    }

    /// <summary>
    /// A fake clock that tells when the flusher has asked for its next timer: the flusher starts on the thread pool,
    /// and time advanced before its wait is registered would never reach that wait.
    /// </summary>
    private sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private int _created;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _created);
            return timer;
        }

        public int TimersCreated => Volatile.Read(ref _created);
    }

    private sealed class CountingUsageStore : IUsageStore
    {
        private readonly InMemoryUsageStore _inner = new();
        private int _attempts;

        public bool Failing { get; set; }

        public int Attempts => Volatile.Read(ref _attempts);

        public async Task AddAsync(IReadOnlyCollection<UsageIncrement> increments, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (Failing)
            {
                throw new InvalidOperationException("store down");
            }

            await _inner.AddAsync(increments, cancellationToken);
        }

        public Task<IReadOnlyList<(string Field, long Amount)>> ReadAsync(string subject, CancellationToken cancellationToken)
            => _inner.ReadAsync(subject, cancellationToken);
    }
}
