using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace McpGateway.Limits;

/// <summary>
/// A per-user budget that every replica shares through Redis (RedisRateLimiting's fixed window, one Lua
/// script per call). While Redis cannot be reached it fails open to this replica's own fixed window of
/// the same size: an outage neither blocks users on a limit nor leaves them unlimited.
/// </summary>
internal sealed class SharedUserBudget : PartitionedRateLimiter<string>
{
    /// <summary>How long a failed Redis call sends the budget to the local window before Redis is tried again.</summary>
    private static readonly TimeSpan OutageBackoff = TimeSpan.FromSeconds(5);

    private readonly PartitionedRateLimiter<string> _shared;
    private readonly PartitionedRateLimiter<string> _local;
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
        var options = new RedisFixedWindowRateLimiterOptions
        {
            PermitLimit = budget.PermitLimit,
            Window = budget.Window,
            ConnectionMultiplexerFactory = () => redis,
        };
        _shared = PartitionedRateLimiter.Create<string, string>(user => RedisRateLimitPartition.GetFixedWindowRateLimiter($"{keyPrefix}ratelimit:{name}:{user}", _ => options));
    }

    private bool UsesLocal => _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _localUntil);

    public override RateLimiterStatistics? GetStatistics(string resource) => _local.GetStatistics(resource);

    /// <summary>
    /// A shared budget cannot be asked synchronously: the lease fails without a reason, and callers that honour
    /// that (the rate-limiting middleware) go on to <see cref="AcquireAsyncCore"/>. During an outage the local window answers.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount)
        => UsesLocal ? _local.AttemptAcquire(resource, permitCount) : DeferredLease.Instance;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken)
    {
        if (!UsesLocal)
        {
            try
            {
                return await _shared.AcquireAsync(resource, permitCount, cancellationToken);
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
}
