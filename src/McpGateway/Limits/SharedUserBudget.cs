using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace McpGateway.Limits;

/// <summary>
/// A per-user budget that every replica shares through Redis (RedisRateLimiting's fixed window, one Lua
/// script per call). While Redis cannot be reached it fails open to this replica's own fixed window of
/// the same size: an outage neither blocks users on a limit nor leaves them unlimited.
/// <para>
/// A large budget is not asked for one permit per call: for a user who calls fast, the replica takes
/// permits from the shared window a few at a time (<see cref="PermitReserve"/>: at most 1/64 of the
/// budget, at most 64, one take at a time) and hands them out locally until they or the window run out.
/// Every permit is still counted once in the shared window, so the replicas together never grant more than
/// the limit; a user may be refused up to the permits another replica took and has not used yet (at most
/// <see cref="PermitReserve.MostHeldUnused"/> per replica: the next take is made when half of the last one is used, so a
/// fast user rarely waits for Redis), and a take's permits left a second before the window ends are dropped. Budgets
/// under 128 permits a window (the defaults) always ask Redis once per call, exactly.
/// </para>
/// </summary>
internal sealed class SharedUserBudget : PartitionedRateLimiter<string>
{
    /// <summary>How long a failed Redis call sends the budget to the local window before Redis is tried again.</summary>
    private static readonly TimeSpan OutageBackoff = TimeSpan.FromSeconds(5);

    private readonly PartitionedRateLimiter<string> _shared;
    private readonly PartitionedRateLimiter<string> _local;
    private readonly ConcurrentDictionary<string, PermitReserve> _reserves = new(StringComparer.Ordinal);
    private readonly int _largestTake;
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _localUntil;

    public SharedUserBudget(
        string name, RateLimitBudget budget, IConnectionMultiplexer redis, string keyPrefix, TimeProvider time, ILogger logger)
    {
        _name = name;
        _time = time;
        _logger = logger;
        _local = LocalBudget.Create(budget);
        _largestTake = PermitReserve.LargestTake(budget.PermitLimit);
        var options = new RedisFixedWindowRateLimiterOptions
        {
            PermitLimit = budget.PermitLimit,
            Window = budget.Window,
            ConnectionMultiplexerFactory = () => redis,
        };
        // The partitioner runs on every acquisition: partitioned by the user as given (no key string built per call), with one
        // factory that names the Redis key once per user's limiter.
        Func<string, RateLimiter> factory = user => new RedisFixedWindowRateLimiter<string>($"{keyPrefix}ratelimit:{name}:{user}", options);
        _shared = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.Get(user, factory));
    }

    private bool UsesLocal => _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _localUntil);

    public override RateLimiterStatistics? GetStatistics(string resource) => _local.GetStatistics(resource);

    /// <summary>
    /// A shared budget cannot be asked synchronously: unless a permit this replica already took is left, the
    /// lease fails without a reason, and callers that honour that (the rate-limiting middleware) go on to
    /// <see cref="AcquireAsyncCore"/>. During an outage the local window answers.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount)
    {
        if (UsesLocal)
        {
            return _local.AttemptAcquire(resource, permitCount);
        }

        return permitCount == 1 && _reserves.TryGetValue(resource, out var reserve) && TryTakeReserved(resource, reserve)
            ? GrantedLease.Instance
            : DeferredLease.Instance;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken)
    {
        if (!UsesLocal)
        {
            try
            {
                return permitCount == 1 && _largestTake > 1
                    ? await AcquireReservedAsync(resource, cancellationToken)
                    : await _shared.AcquireAsync(resource, permitCount, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
            {
                Interlocked.Exchange(ref _localUntil, (_time.GetUtcNow() + OutageBackoff).UtcTicks);
                LimitsLog.SharedBudgetUnavailable(_logger, _name, ex.GetType().Name);
            }
        }

        return await _local.AcquireAsync(resource, permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _shared.Dispose();
            _local.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _shared.DisposeAsync();
        await _local.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// One permit from what this replica took, else a take from the shared window; near the limit, one permit alone.
    /// One take at a time per user: concurrent callers wait for it and share what it brought, so a replica never
    /// holds more than one take's unused permits.
    /// </summary>
    private async ValueTask<RateLimitLease> AcquireReservedAsync(string user, CancellationToken cancellationToken)
    {
        var reserve = _reserves.GetOrAdd(user, static _ => new PermitReserve());
        if (TryTakeReserved(user, reserve))
        {
            return GrantedLease.Instance;
        }

        await reserve.Takes.WaitAsync(cancellationToken);
        try
        {
            var now = Now;
            if (reserve.TryTake(now))
            {
                return GrantedLease.Instance;
            }

            var take = reserve.NextTake(now, _largestTake);
            var lease = await _shared.AcquireAsync(user, take, cancellationToken);
            if (!lease.IsAcquired && take > 1)
            {
                // Fewer than that many are left in the window: the last ones go one call at a time.
                lease.Dispose();
                take = 1;
                lease = await _shared.AcquireAsync(user, 1, cancellationToken);
            }

            if (lease.IsAcquired && take > 1)
            {
                reserve.Add(take - 1, PermitReserve.UsableUntil(lease, Now));
            }

            return lease;
        }
        finally
        {
            reserve.Takes.Release();
        }
    }

    /// <summary>A permit this replica already took, starting the next take when half of the last one is used.</summary>
    private bool TryTakeReserved(string user, PermitReserve reserve)
    {
        if (!reserve.TryTake(Now, out var nextTakeDue))
        {
            return false;
        }

        if (nextTakeDue)
        {
            _ = TakeAheadAsync(user, reserve);
        }

        return true;
    }

    /// <summary>
    /// The next take, while half of the last one is still left to hand out synchronously; skipped when a take is under way.
    /// Runs off the caller's path: it only fills the reserve, and a failure sends the budget to the local window as any.
    /// </summary>
    private async Task TakeAheadAsync(string user, PermitReserve reserve)
    {
        if (!reserve.Takes.Wait(0))
        {
            return;
        }

        try
        {
            var take = reserve.NextTake(Now, _largestTake);
            using var lease = await _shared.AcquireAsync(user, take);
            if (lease.IsAcquired)
            {
                reserve.Add(take, PermitReserve.UsableUntil(lease, Now));
            }
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            Interlocked.Exchange(ref _localUntil, (_time.GetUtcNow() + OutageBackoff).UtcTicks);
            LimitsLog.SharedBudgetUnavailable(_logger, _name, ex.GetType().Name);
        }
        catch (ObjectDisposedException)
        {
            // The gateway is stopping.
        }
        finally
        {
            reserve.Takes.Release();
        }
    }

    /// <summary>"Ask asynchronously": not acquired, with no metadata.</summary>
    private sealed class DeferredLease : RateLimitLease
    {
        public static readonly DeferredLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>A permit this replica had already taken from the shared window.</summary>
    private sealed class GrantedLease : RateLimitLease
    {
        public static readonly GrantedLease Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
