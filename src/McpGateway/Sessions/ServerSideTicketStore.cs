using System.Globalization;
using System.Text.Json;
using McpGateway.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>
/// The cookie handler's session store: the cookie carries only an opaque <see cref="SessionId"/>;
/// the identity ticket and the tokens stay here. Tokens are split off the ticket at sign-in so that
/// ticket renewals and token refreshes write separate fields.
/// </summary>
internal sealed class ServerSideTicketStore(
    ISessionRepository repository,
    SessionProtector protector,
    IOptions<SessionOptions> options,
    TimeProvider time,
    ILogger<ServerSideTicketStore> logger,
    SessionCache? cache = null) : ITicketStore
{
    /// <summary>The ticket item naming the OAuth client the tokens were issued to.</summary>
    public const string ClientIdItem = ".mcpgw.client_id";

    /// <summary>The item carrying the session's DPoP key from the code redemption to the encrypted token set (never into the ticket).</summary>
    public const string DpopKeyItem = ".mcpgw.dpop_key";

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
        => StoreAsync(ticket, httpContext: null!, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var tokens = TakeTokens(ticket.Properties)
            ?? throw new InvalidOperationException("The sign-in carried no access token and expiry: the OpenID Connect handler must save tokens.");
        var subject = ticket.Principal.FindFirst("sub")?.Value
            ?? throw new InvalidOperationException("The sign-in carried no 'sub' claim.");
        var sid = ticket.Principal.FindFirst("sid")?.Value;

        SignInTime.Mark(ticket.Properties, time.GetUtcNow());
        var id = SessionId.New();
        var record = new SessionRecord(protector.Protect(ticket), protector.Protect(tokens), subject, sid);
        await repository.CreateAsync(id.StorageKey, record, TimeToLive(ticket), cancellationToken);
        cache?.Set(id.StorageKey, ticket, tokens);
        SessionsLog.SessionCreated(logger, id, tokens.ClientId);
        httpContext?.Features.Set(new ActiveSession(id, tokens, subject));
        return id.Value;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
        => RenewAsync(key, ticket, httpContext: null!, cancellationToken);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        // A renewal only slides the identity ticket; the token set is the token service's to change.
        ticket.Properties.StoreTokens([]);
        var storageKey = SessionId.Parse(key).StorageKey;
        cache?.Evict(storageKey);
        await repository.UpdateTicketAsync(storageKey, protector.Protect(ticket), TimeToLive(ticket), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
        => RetrieveAsync(key, httpContext: null!, cancellationToken);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
        => TryRetrieveCached(key, httpContext) is { } cached ? cached.TicketTask : ReadAsync(SessionId.Parse(key), httpContext, cancellationToken);

    /// <summary>The session from the cache alone (put on the request as its <see cref="ActiveSession"/>), or <see langword="null"/> on a miss.</summary>
    public CachedSession? TryRetrieveCached(string key, HttpContext? httpContext)
    {
        var id = SessionId.Parse(key);
        if (cache?.TryGet(id.StorageKey) is not { } cached)
        {
            return null;
        }

        httpContext?.Features.Set(new ActiveSession(id, cached.Tokens, cached.Subject));
        return cached;
    }

    private async Task<AuthenticationTicket?> ReadAsync(SessionId id, HttpContext? httpContext, CancellationToken cancellationToken)
    {
        var record = await repository.GetAsync(id.StorageKey, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var ticket = protector.UnprotectTicket(record.ProtectedTicket);
        var tokens = protector.UnprotectTokens(record.ProtectedTokens);
        if (ticket is null || tokens is null)
        {
            SessionsLog.SessionUnreadable(logger, id);
            await repository.RemoveAsync(id.StorageKey, cancellationToken);
            return null;
        }

        cache?.Set(id.StorageKey, ticket, tokens);
        httpContext?.Features.Set(new ActiveSession(id, tokens, record.Subject));
        return ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, httpContext: null!, cancellationToken);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var id = SessionId.Parse(key);
        cache?.Evict(id.StorageKey);
        if (await repository.RemoveAsync(id.StorageKey, cancellationToken))
        {
            SessionsLog.SessionRemoved(logger, id);
        }
    }

    /// <summary>The session lives until the cookie's (sliding) expiry, never past the absolute lifetime.</summary>
    private TimeSpan TimeToLive(AuthenticationTicket ticket)
    {
        var now = time.GetUtcNow();
        var issued = SignInTime.Of(ticket.Properties) ?? now;
        var expires = ticket.Properties.ExpiresUtc ?? now + options.Value.IdleTimeout;
        var end = expires < issued + options.Value.AbsoluteLifetime ? expires : issued + options.Value.AbsoluteLifetime;
        return end > now ? end - now : TimeSpan.FromSeconds(1);
    }

    private static SessionTokens? TakeTokens(AuthenticationProperties properties)
    {
        var accessToken = properties.GetTokenValue("access_token");
        var expiresAt = properties.GetTokenValue("expires_at");
        properties.Items.Remove(ClientIdItem, out var clientId);
        properties.Items.Remove(DpopKeyItem, out var dpopKey);
        if (accessToken is null || expiresAt is null || clientId is null)
        {
            return null;
        }

        var tokens = new SessionTokens
        {
            AccessToken = accessToken,
            RefreshToken = properties.GetTokenValue("refresh_token"),
            IdToken = properties.GetTokenValue("id_token"),
            AccessTokenExpiresAt = DateTimeOffset.Parse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            ClientId = clientId,
            TokenType = properties.GetTokenValue("token_type"),
            DpopKey = dpopKey is null ? null : JsonSerializer.Deserialize(dpopKey, GatewayJsonContext.Default.ClientSigningKey),
        };
        properties.StoreTokens([]);
        return tokens;
    }
}
