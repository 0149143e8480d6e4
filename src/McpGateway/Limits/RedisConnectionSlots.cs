using System.Collections.Concurrent;
using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Limits;

/// <summary>
/// Connection slots in Redis: one sorted set per user whose members are this deployment's open
/// connections, scored by when their lease ends. Taking a slot is one Lua script (drop expired leases,
/// count, add), so two replicas cannot both take the last one. Each replica renews the leases of the
/// connections it holds; the slots of a replica that died expire with their lease. While Redis cannot
/// be reached the cap fails open to each replica's own count. Members are the connections' ids, unique across
/// replicas: a resumed socket takes over the slot of the socket it continues (the same id), also when that socket's
/// replica died holding it, so a user at the cap can reconnect at once.
/// </summary>
internal sealed class RedisConnectionSlots : BackgroundService, IUserConnectionSlots
{
    private static readonly LuaScript Take = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', @now)
        if not redis.call('ZSCORE', @key, @member) and redis.call('ZCARD', @key) >= tonumber(@max) then
          return 0
        end
        redis.call('ZADD', @key, @expires, @member)
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeyspace _keys;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisConnectionSlots> _logger;
    private readonly TimeSpan _lease;
    // How many of this replica's connections hold each slot: two when a socket resumed here before its predecessor closed.
    private readonly ConcurrentDictionary<(RedisKey Key, string Member), int> _held = new();

    public RedisConnectionSlots(IConnectionMultiplexer redis, RedisKeyspace keys, TimeProvider time, ILogger<RedisConnectionSlots> logger)
        : this(redis, keys, time, logger, TimeSpan.FromSeconds(60))
    {
    }

    internal RedisConnectionSlots(IConnectionMultiplexer redis, RedisKeyspace keys, TimeProvider time, ILogger<RedisConnectionSlots> logger, TimeSpan lease)
    {
        _redis = redis;
        _keys = keys;
        _time = time;
        _logger = logger;
        _lease = lease;
    }

    public async ValueTask<bool> TryTakeAsync(ConnectionKind kind, string subject, string connectionId, int max, CancellationToken cancellationToken)
    {
        var member = connectionId;
        var now = _time.GetUtcNow();
        try
        {
            var taken = (long)await _redis.GetDatabase().ScriptEvaluateAsync(Take, new
            {
                key = Key(kind, subject),
                now = now.ToUnixTimeMilliseconds(),
                max,
                expires = (now + _lease).ToUnixTimeMilliseconds(),
                member,
                ttl = (long)(_lease * 2).TotalMilliseconds,
            });
            if (taken == 0)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LimitsLog.SharedConnectionCountUnavailable(_logger, ex.GetType().Name);
        }

        // Held even when Redis was down, so that the lease is written at the next renewal once it is back.
        _held.AddOrUpdate((Key(kind, subject), member), 1, (_, holders) => holders + 1);
        return true;
    }

    public async ValueTask ReleaseAsync(ConnectionKind kind, string subject, string connectionId)
    {
        var member = connectionId;
        var key = Key(kind, subject);
        if (!Unhold((key, member)))
        {
            // Another connection here still holds the slot (a socket resumed before its predecessor closed).
            return;
        }

        try
        {
            await _redis.GetDatabase().SortedSetRemoveAsync(key, member);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The lease runs out by itself.
            LimitsLog.SharedConnectionCountUnavailable(_logger, ex.GetType().Name);
        }
    }

    /// <summary>Renews this replica's leases a few times per lease.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_lease / 3, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RenewAsync();
        }
    }

    internal async Task RenewAsync()
    {
        if (_held.IsEmpty)
        {
            return;
        }

        double expires = (_time.GetUtcNow() + _lease).ToUnixTimeMilliseconds();
        try
        {
            var database = _redis.GetDatabase();
            await Task.WhenAll(_held.Keys.GroupBy(held => held.Key).Select(async user =>
            {
                await database.SortedSetAddAsync(user.Key, [.. user.Select(held => new SortedSetEntry(held.Member, expires))]);
                await database.KeyExpireAsync(user.Key, _lease * 2);
            }));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LimitsLog.SharedConnectionCountUnavailable(_logger, ex.GetType().Name);
        }
    }

    /// <summary>One holder fewer; true when it was the last.</summary>
    private bool Unhold((RedisKey Key, string Member) slot)
    {
        while (_held.TryGetValue(slot, out var holders))
        {
            if (holders <= 1 ? _held.TryRemove(KeyValuePair.Create(slot, holders)) : _held.TryUpdate(slot, holders - 1, holders))
            {
                return holders <= 1;
            }
        }

        return true;
    }

    private RedisKey Key(ConnectionKind kind, string subject)
        => _keys.Key(kind == ConnectionKind.Socket ? "connections:sockets" : "connections:streams", subject);
}
