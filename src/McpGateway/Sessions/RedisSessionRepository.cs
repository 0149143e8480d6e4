using McpGateway.Storage;
using StackExchange.Redis;

namespace McpGateway.Sessions;

/// <summary>
/// Sessions in Redis: a hash per session (<c>session:{key}</c> with the protected ticket and tokens)
/// that expires with the session, sets indexing the sessions of a subject and of an OIDC sid, and a
/// sorted set of every session by expiry, for counting them.
/// </summary>
internal sealed class RedisSessionRepository(IConnectionMultiplexer redis, RedisKeyspace keys, TimeProvider time) : ISessionRepository, ISessionConnectorTokens
{
    /// <summary>Connector token sets are fields of the session's hash, <c>c:{connector}</c>: deleted and expired with it.</summary>
    private const string ConnectorFieldPrefix = "c:";

    private static readonly RedisValue TicketField = "t";
    private static readonly RedisValue TokensField = "k";
    private static readonly RedisValue SubjectField = "sub";
    private static readonly RedisValue SidField = "sid";

    private IDatabase Database => redis.GetDatabase();

    public async Task CreateAsync(string key, SessionRecord record, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var sessionKey = SessionKey(key);
        var fields = new List<HashEntry>
        {
            new(TicketField, record.ProtectedTicket),
            new(TokensField, record.ProtectedTokens),
            new(SubjectField, record.Subject),
        };
        if (record.Sid is not null)
        {
            fields.Add(new HashEntry(SidField, record.Sid));
        }

        var transaction = Database.CreateTransaction();
        _ = transaction.HashSetAsync(sessionKey, [.. fields]);
        _ = transaction.KeyExpireAsync(sessionKey, timeToLive);
        _ = transaction.SortedSetAddAsync(ActiveKey, key, ExpiryScore(timeToLive));
        foreach (var index in IndexKeys(record.Subject, record.Sid))
        {
            _ = transaction.SetAddAsync(index, key);
            ExtendIndex(transaction, index, timeToLive);
        }

        await transaction.ExecuteAsync();
    }

    public async Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var values = await Database.HashGetAsync(SessionKey(key), [TicketField, TokensField, SubjectField, SidField]);
        if (values[0].IsNull || values[1].IsNull || values[2].IsNull)
        {
            return null;
        }

        return new SessionRecord((byte[])values[0]!, (byte[])values[1]!, values[2].ToString(), values[3].IsNull ? null : values[3].ToString());
    }

    public async Task<byte[]?> GetTokensAsync(string key, CancellationToken cancellationToken)
    {
        var value = await Database.HashGetAsync(SessionKey(key), TokensField);
        return value.IsNull ? null : (byte[])value!;
    }

    public async Task<bool> UpdateTicketAsync(string key, byte[] protectedTicket, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var sessionKey = SessionKey(key);
        var index = await Database.HashGetAsync(sessionKey, [SubjectField, SidField]);
        if (index[0].IsNull)
        {
            return false;
        }

        var transaction = Database.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(sessionKey));
        _ = transaction.HashSetAsync(sessionKey, TicketField, protectedTicket);
        _ = transaction.KeyExpireAsync(sessionKey, timeToLive);
        _ = transaction.SortedSetAddAsync(ActiveKey, key, ExpiryScore(timeToLive));
        foreach (var indexKey in IndexKeys(index[0].ToString(), index[1].IsNull ? null : index[1].ToString()))
        {
            ExtendIndex(transaction, indexKey, timeToLive);
        }

        return await transaction.ExecuteAsync();
    }

    public async Task<bool> UpdateTokensAsync(string key, byte[] protectedTokens, CancellationToken cancellationToken)
    {
        var sessionKey = SessionKey(key);
        var transaction = Database.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(sessionKey));
        _ = transaction.HashSetAsync(sessionKey, TokensField, protectedTokens);
        return await transaction.ExecuteAsync();
    }

    public async Task<bool> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var sessionKey = SessionKey(key);
        var index = await Database.HashGetAsync(sessionKey, [SubjectField, SidField]);
        var transaction = Database.CreateTransaction();
        var deleted = transaction.KeyDeleteAsync(sessionKey);
        _ = transaction.SortedSetRemoveAsync(ActiveKey, key);
        if (!index[0].IsNull)
        {
            foreach (var indexKey in IndexKeys(index[0].ToString(), index[1].IsNull ? null : index[1].ToString()))
            {
                _ = transaction.SetRemoveAsync(indexKey, key);
            }
        }

        await transaction.ExecuteAsync();
        return await deleted;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        // Sessions that expired on their own leave the set here.
        await Database.SortedSetRemoveRangeByScoreAsync(ActiveKey, double.NegativeInfinity, time.GetUtcNow().ToUnixTimeMilliseconds());
        return await Database.SortedSetLengthAsync(ActiveKey);
    }

    public Task<IReadOnlyList<string>> FindBySubjectAsync(string subject, CancellationToken cancellationToken)
        => FindAsync(keys.Key("sessions-by-sub", subject));

    public Task<IReadOnlyList<string>> FindBySidAsync(string sid, CancellationToken cancellationToken)
        => FindAsync(keys.Key("sessions-by-sid", sid));

    private async Task<IReadOnlyList<string>> FindAsync(RedisKey index)
    {
        var database = Database;
        var members = await database.SetMembersAsync(index);
        var live = new List<string>(members.Length);
        foreach (var member in members)
        {
            if (await database.KeyExistsAsync(SessionKey(member.ToString())))
            {
                live.Add(member.ToString());
            }
            else
            {
                // The session expired on its own; drop its stale index entry.
                await database.SetRemoveAsync(index, member);
            }
        }

        return live;
    }

    public async Task<byte[]?> GetConnectorTokensAsync(string key, string connector, CancellationToken cancellationToken)
    {
        var value = await Database.HashGetAsync(SessionKey(key), ConnectorFieldPrefix + connector);
        return value.IsNull ? null : (byte[])value!;
    }

    public async Task<bool> SetConnectorTokensAsync(string key, string connector, byte[] protectedTokens, CancellationToken cancellationToken)
    {
        var sessionKey = SessionKey(key);
        var transaction = Database.CreateTransaction();
        transaction.AddCondition(Condition.HashExists(sessionKey, TicketField));
        _ = transaction.HashSetAsync(sessionKey, ConnectorFieldPrefix + connector, protectedTokens);
        return await transaction.ExecuteAsync();
    }

    public Task RemoveConnectorTokensAsync(string key, string connector, CancellationToken cancellationToken)
        => Database.HashDeleteAsync(SessionKey(key), ConnectorFieldPrefix + connector);

    public async Task<IReadOnlyDictionary<string, byte[]>> GetAllConnectorTokensAsync(string key, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var entry in Database.HashScanAsync(SessionKey(key), ConnectorFieldPrefix + "*"))
        {
            found[entry.Name.ToString()[ConnectorFieldPrefix.Length..]] = (byte[])entry.Value!;
        }

        return found;
    }

    private RedisKey SessionKey(string key) => keys.Key("session", key);

    private RedisKey ActiveKey => keys.Key("sessions-active");

    private double ExpiryScore(TimeSpan timeToLive) => (time.GetUtcNow() + timeToLive).ToUnixTimeMilliseconds();

    private IEnumerable<RedisKey> IndexKeys(string subject, string? sid)
    {
        yield return keys.Key("sessions-by-sub", subject);
        if (sid is not null)
        {
            yield return keys.Key("sessions-by-sid", sid);
        }
    }

    /// <summary>An index lives as long as its longest-lived session.</summary>
    private static void ExtendIndex(ITransaction transaction, RedisKey index, TimeSpan timeToLive)
    {
        _ = transaction.KeyExpireAsync(index, timeToLive, ExpireWhen.HasNoExpiry);
        _ = transaction.KeyExpireAsync(index, timeToLive, ExpireWhen.GreaterThanCurrentExpiry);
    }
}
