using McpGateway.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace McpGateway.Sessions;

/// <summary>
/// Keeps recently read sessions, decrypted, for a few seconds, so that a busy user's requests and
/// socket messages do not each cost a Redis round trip and two decryptions. Every write through this
/// replica updates or evicts the entry, and an ended session is evicted on every replica (its event);
/// what another replica changes in between (a slid ticket, refreshed tokens) is seen within
/// <see cref="Lifetime"/>, and stale tokens are never refreshed from here: a refresh re-reads Redis.
/// While Redis is unreachable nothing is served from here, so an outage answers 503 as it should.
/// Only used with Redis; the in-memory store needs no cache.
/// <para>
/// A hit hands out the cached ticket itself, not a copy: a deep copy of the principal cost every request
/// about 2 KB. Nothing changes a retrieved ticket in place: the cookie handler copies it before a sliding
/// renewal (and <see cref="ServerSideTicketStore.RenewAsync(string, AuthenticationTicket, HttpContext, CancellationToken)"/>
/// changes only that copy), and the gateway's own code only reads the principal and the properties.
/// </para>
/// </summary>
internal sealed class SessionCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly IConnectionMultiplexer? _redis;
    private readonly IDisposable _subscription;

    public SessionCache(IGatewayEventBus events, IServiceProvider services)
    {
        _redis = services.GetService<IConnectionMultiplexer>();
        _subscription = events.Subscribe(gatewayEvent =>
        {
            if (gatewayEvent is { Type: GatewayEvent.SessionEnded, SessionKey: { } key })
            {
                Evict(key);
            }

            return Task.CompletedTask;
        });
    }

    private bool Enabled => _redis is { IsConnected: true };

    /// <returns>The cached session (its ticket is shared: read it, never change it), when fresh.</returns>
    public CachedSession? TryGet(string key)
        => Enabled && _entries.TryGetValue(key, out CachedSession? entry) ? entry : null;

    public SessionTokens? TryGetTokens(string key) => TryGet(key)?.Tokens;

    public void Set(string key, AuthenticationTicket ticket, SessionTokens tokens)
    {
        if (_redis is not null)
        {
            // A copy: the caller keeps the ticket it stored or read, and may change it (a sign-in does).
            var copy = ticket.Clone();
            _entries.Set(key, new CachedSession(copy, tokens), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }
    }

    /// <summary>The tokens changed here (a refresh): the entry keeps its ticket and takes them.</summary>
    public void UpdateTokens(string key, SessionTokens tokens)
    {
        if (_entries.TryGetValue(key, out CachedSession? entry) && entry is not null)
        {
            _entries.Set(key, new CachedSession(entry.Ticket, tokens), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }
    }

    public void Evict(string key) => _entries.Remove(key);

    public void Dispose()
    {
        _subscription.Dispose();
        _entries.Dispose();
    }
}
