using System.Collections.Concurrent;

namespace McpGateway.Usage;

/// <summary>
/// Counts chat usage in memory and hands it to the store in batches, so that a proxied answer never
/// waits for a Redis round trip. What is not yet flushed is still part of the user's report on this
/// replica; a flush that fails keeps its amounts for the next one. A report and a flush never overlap:
/// amounts taken out for a flush are in neither the store nor the pending set until the write lands.
/// </summary>
internal sealed class UsageLedger(IUsageStore store) : IDisposable
{
    private readonly ConcurrentDictionary<(string Subject, string Field), long> _pending = new();
    private readonly SemaphoreSlim _flushOrRead = new(1, 1);

    public bool HasPending => !_pending.IsEmpty;

    public void Record(string subject, ChatUsage usage)
    {
        var fields = UsageCounters.FieldsOf(usage);
        Add(subject, fields[0], 1);
        Add(subject, fields[1], usage.PromptTokens);
        Add(subject, fields[2], usage.CompletionTokens);
        Add(subject, fields[3], usage.TotalTokens);
    }

    public async Task<IReadOnlyList<ModelUsage>> ListAsync(string subject, CancellationToken cancellationToken)
    {
        await _flushOrRead.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.ReadAsync(subject, cancellationToken);
            var pending = _pending.Where(pair => pair.Key.Subject == subject).Select(pair => (pair.Key.Field, pair.Value)).ToList();
            return UsageCounters.Read(stored.Concat(pending));
        }
        finally
        {
            _flushOrRead.Release();
        }
    }

    /// <summary>Writes what was counted since the last flush; on failure the amounts stay pending and the exception propagates.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushOrRead.WaitAsync(cancellationToken);
        try
        {
            await FlushPendingAsync(cancellationToken);
        }
        finally
        {
            _flushOrRead.Release();
        }
    }

    public void Dispose() => _flushOrRead.Dispose();

    private async Task FlushPendingAsync(CancellationToken cancellationToken)
    {
        // Each counter is taken out on its own: an amount added meanwhile lands in a new entry for the next flush.
        var taken = new List<UsageIncrement>();
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var amount))
            {
                taken.Add(new UsageIncrement(key.Subject, key.Field, amount));
            }
        }

        if (taken.Count == 0)
        {
            return;
        }

        try
        {
            await store.AddAsync(taken, cancellationToken);
        }
        catch
        {
            foreach (var increment in taken)
            {
                Add(increment.Subject, increment.Field, increment.Amount);
            }

            throw;
        }
    }

    private void Add(string subject, string field, long amount)
        => _pending.AddOrUpdate((subject, field), static (_, amount) => amount, static (_, current, amount) => current + amount, amount);
}
