using System.Buffers.Binary;
using McpGateway.Storage;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace McpGateway.Mcp.StreamableHttp.Resumption;

/// <summary>
/// The event log in Redis: one list per stream (<c>mcp-events:{session key}:{stream}</c>), each entry the event's sequence
/// (8 bytes) and the message encrypted by data protection (tool results are the user's data); an empty entry marks the end.
/// Writes are fire-and-forget, in order on the connection: an event costs the stream no round trip.
/// </summary>
internal sealed class RedisMcpEventLog(IConnectionMultiplexer redis, RedisKeyspace keys, IDataProtectionProvider dataProtection) : IMcpEventLog
{
    private const string Area = "mcp-events";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("McpGateway.Mcp.Events.v1");

    public void Append(string sessionKey, string stream, long sequence, ReadOnlyMemory<byte> message)
    {
        var sealedMessage = _protector.Protect(message.ToArray());
        var entry = new byte[sizeof(long) + sealedMessage.Length];
        BinaryPrimitives.WriteInt64BigEndian(entry, sequence);
        sealedMessage.CopyTo(entry.AsSpan(sizeof(long)));

        var key = Key(sessionKey, stream);
        var database = redis.GetDatabase();
        database.ListRightPush(key, entry, flags: CommandFlags.FireAndForget);
        database.KeyExpire(key, IMcpEventLog.RetainFor, CommandFlags.FireAndForget);
        if (sequence % 64 == 0)
        {
            database.ListTrim(key, -IMcpEventLog.MaxEventsPerStream, -1, CommandFlags.FireAndForget);
        }
    }

    public void End(string sessionKey, string stream)
    {
        var key = Key(sessionKey, stream);
        var database = redis.GetDatabase();
        database.ListRightPush(key, Array.Empty<byte>(), When.Exists, CommandFlags.FireAndForget);
    }

    public async Task<McpEventPage> ReadAfterAsync(string sessionKey, string stream, long after, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().ListRangeAsync(Key(sessionKey, stream));
        if (entries.Length == 0)
        {
            return McpEventPage.Unknown;
        }

        var events = new List<(long, byte[])>();
        var ended = false;
        foreach (var value in entries)
        {
            var entry = (byte[])value!;
            if (entry.Length < sizeof(long))
            {
                ended = true;
                continue;
            }

            var sequence = BinaryPrimitives.ReadInt64BigEndian(entry);
            if (sequence > after)
            {
                events.Add((sequence, _protector.Unprotect(entry[sizeof(long)..])));
            }
        }

        return new McpEventPage(events, ended);
    }

    private RedisKey Key(string sessionKey, string stream) => keys.Key(Area, sessionKey + ":" + stream);
}
