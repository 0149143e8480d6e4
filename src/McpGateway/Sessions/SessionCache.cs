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

    /// <returns>A copy of the cached ticket (callers may change it) and the tokens, when fresh.</returns>
    public bool TryGet(string key, out AuthenticationTicket? ticket, out SessionTokens? tokens)
    {
        if (Enabled && _entries.TryGetValue(key, out Entry? entry) && entry is not null)
        {
            ticket = entry.Ticket.Clone();
            tokens = entry.Tokens;
            return true;
        }

        ticket = null;
        tokens = null;
        return false;
    }

    public SessionTokens? TryGetTokens(string key)
        => Enabled && _entries.TryGetValue(key, out Entry? entry) ? entry?.Tokens : null;

    public void Set(string key, AuthenticationTicket ticket, SessionTokens tokens)
    {
        if (_redis is not null)
        {
            _entries.Set(key, new Entry(ticket.Clone(), tokens), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }
    }

    /// <summary>The tokens changed here (a refresh): the entry keeps its ticket and takes them.</summary>
    public void UpdateTokens(string key, SessionTokens tokens)
    {
        if (_entries.TryGetValue(key, out Entry? entry) && entry is not null)
        {
            _entries.Set(key, entry with { Tokens = tokens }, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }
    }

    public void Evict(string key) => _entries.Remove(key);

    public void Dispose()
    {
        _subscription.Dispose();
        _entries.Dispose();
    }

    private sealed record Entry(AuthenticationTicket Ticket, SessionTokens Tokens);
}
