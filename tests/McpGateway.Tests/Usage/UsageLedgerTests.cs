using McpGateway.Usage;

namespace McpGateway.Tests.Usage;

public sealed class UsageLedgerTests : IDisposable
{
    private readonly FlakyUsageStore _store = new();
    private readonly UsageLedger _ledger;

    public UsageLedgerTests() => _ledger = new UsageLedger(_store);

    public void Dispose() => _ledger.Dispose();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recorded_usage_is_in_the_report_before_and_after_it_is_flushed()
    {
        _ledger.Record("alice", new ChatUsage("gpt", "openai", 10, 5, 15));
        _ledger.Record("alice", new ChatUsage("gpt", "openai", 1, 2, 3));
        _ledger.Record("bob", new ChatUsage("gpt", "openai", 100, 100, 200));

        var before = Assert.Single(await _ledger.ListAsync("alice", Cancellation));
        Assert.Empty(await _store.ReadAsync("alice", Cancellation));

        await _ledger.FlushAsync(Cancellation);

        Assert.False(_ledger.HasPending);
        var after = Assert.Single(await _ledger.ListAsync("alice", Cancellation));
        Assert.Equal(before, after);
        Assert.Equal((2, 11, 7, 18), (after.Requests, after.PromptTokens, after.CompletionTokens, after.TotalTokens));
        Assert.Equal(200, Assert.Single(await _ledger.ListAsync("bob", Cancellation)).TotalTokens);
    }

    [Fact]
    public async Task A_failed_flush_keeps_every_amount_for_the_next_one()
    {
        _ledger.Record("alice", new ChatUsage("gpt", "openai", 10, 5, 15));
        _store.Failing = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _ledger.FlushAsync(Cancellation));
        _ledger.Record("alice", new ChatUsage("gpt", "openai", 1, 1, 2));
        Assert.True(_ledger.HasPending);

        _store.Failing = false;
        await _ledger.FlushAsync(Cancellation);

        var stored = UsageCounters.Read(await _store.ReadAsync("alice", Cancellation));
        Assert.Equal((2, 17), (Assert.Single(stored).Requests, stored[0].TotalTokens));
    }

    [Fact]
    public async Task Usage_recorded_while_flushing_is_neither_lost_nor_counted_twice()
    {
        const int Writers = 4, PerWriter = 5_000;
        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                _ledger.Record("alice", new ChatUsage("gpt", "openai", 1, 1, 2));
            }
        }, Cancellation)).ToArray();

        while (!writers.All(writer => writer.IsCompleted))
        {
            await _ledger.FlushAsync(Cancellation);
        }

        await Task.WhenAll(writers);
        await _ledger.FlushAsync(Cancellation);

        var stored = Assert.Single(UsageCounters.Read(await _store.ReadAsync("alice", Cancellation)));
        Assert.Equal(Writers * PerWriter, stored.Requests);
        Assert.Equal(2L * Writers * PerWriter, stored.TotalTokens);
    }

    [Fact]
    public async Task A_report_taken_while_a_flush_is_writing_still_counts_what_the_flush_carries()
    {
        _ledger.Record("alice", new ChatUsage("gpt", "openai", 10, 5, 15));
        var release = new TaskCompletionSource();
        _store.HoldWrites = release.Task;

        var flush = _ledger.FlushAsync(Cancellation);
        var report = _ledger.ListAsync("alice", Cancellation);
        await Task.Delay(50, Cancellation);
        Assert.False(report.IsCompleted, "the report did not wait for the flush in flight");
        release.SetResult();
        await flush;

        var usage = Assert.Single(await report);
        Assert.Equal((1, 15), (usage.Requests, usage.TotalTokens));
    }

    private sealed class FlakyUsageStore : IUsageStore
    {
        private readonly InMemoryUsageStore _inner = new();

        public bool Failing { get; set; }

        /// <summary>While set and not completed, writes wait for it (a slow Redis round trip).</summary>
        public Task? HoldWrites { get; set; }

        public async Task AddAsync(IReadOnlyCollection<UsageIncrement> increments, CancellationToken cancellationToken)
        {
            if (HoldWrites is { } hold)
            {
                await hold.WaitAsync(cancellationToken);
            }

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
