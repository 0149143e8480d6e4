using System.Globalization;
using System.Security.Claims;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Sessions;

public sealed class ServerSideTicketStoreTests
{
    private const string AccessToken = "at-7f3a9c2e-access-token-value";
    private const string RefreshToken = "rt-5b1d8e4f-refresh-token-value";
    private const string IdToken = "idt-header.payload.signature";
    private const string ClientId = "client-1";
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Absolute = TimeSpan.FromHours(2);
    private static readonly DateTimeOffset TokenExpiry = new(2025, 1, 1, 13, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemorySessionRepository _repository;
    private readonly EphemeralDataProtectionProvider _dataProtection = new();
    private readonly CapturingLogger<ServerSideTicketStore> _logger = new();
    private readonly ServerSideTicketStore _store;

    public ServerSideTicketStoreTests()
    {
        _repository = new InMemorySessionRepository(_time);
        _store = NewStore(_dataProtection);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public async Task Store_returns_an_opaque_session_id_and_puts_the_tokens_on_the_request()
    {
        var context = new DefaultHttpContext();

        var key = await _store.StoreAsync(Ticket(), context, Cancellation);

        Assert.Matches("^[A-Za-z0-9_-]{43}$", key);
        var session = ActiveSession.Of(context);
        Assert.NotNull(session);
        Assert.Equal(key, session.Id.Value);
        AssertOriginalTokens(session.Tokens);
    }

    [Fact]
    public async Task Store_keys_the_repository_by_the_hash_of_the_session_id_not_the_id()
    {
        var key = await _store.StoreAsync(Ticket(), new DefaultHttpContext(), Cancellation);

        Assert.Null(await _repository.GetAsync(key, Cancellation));
        var record = await _repository.GetAsync(SessionId.Parse(key).StorageKey, Cancellation);
        Assert.NotNull(record);
        Assert.Equal("alice", record.Subject);
        Assert.Equal("sid-1", record.Sid);
    }

    [Fact]
    public async Task Retrieved_ticket_has_no_tokens_and_the_request_gets_them_as_active_session()
    {
        var key = await _store.StoreAsync(Ticket(), new DefaultHttpContext(), Cancellation);
        var context = new DefaultHttpContext();

        var ticket = await _store.RetrieveAsync(key, context, Cancellation);

        Assert.NotNull(ticket);
        Assert.Empty(ticket.Properties.GetTokens());
        Assert.Null(ticket.Properties.GetTokenValue("access_token"));
        Assert.DoesNotContain(ticket.Properties.Items, item => item.Value is not null && (item.Value.Contains(AccessToken, StringComparison.Ordinal) || item.Value.Contains(RefreshToken, StringComparison.Ordinal)));
        Assert.False(ticket.Properties.Items.ContainsKey(ServerSideTicketStore.ClientIdItem));
        Assert.Equal("alice", ticket.Principal.FindFirst("sub")?.Value);
        Assert.Equal("sid-1", ticket.Principal.FindFirst("sid")?.Value);
        Assert.Equal("Alice", ticket.Principal.Identity?.Name);
        var session = ActiveSession.Of(context);
        Assert.NotNull(session);
        Assert.Equal(SessionId.Parse(key), session.Id);
        AssertOriginalTokens(session.Tokens);
    }

    [Fact]
    public async Task Stored_bytes_contain_neither_the_access_token_nor_the_refresh_token_in_clear()
    {
        var key = await _store.StoreAsync(Ticket(), new DefaultHttpContext(), Cancellation);

        var record = await _repository.GetAsync(SessionId.Parse(key).StorageKey, Cancellation);

        Assert.NotNull(record);
        foreach (var data in new[] { record.ProtectedTicket, record.ProtectedTokens })
        {
            Assert.False(Secrets.AppearIn(data, AccessToken));
            Assert.False(Secrets.AppearIn(data, RefreshToken));
            Assert.False(Secrets.AppearIn(data, IdToken));
        }
    }

    [Fact]
    public void Secret_search_finds_a_token_stored_in_clear_or_in_base64()
    {
        // Guards the test above: the search must be able to fail.
        var clear = System.Text.Encoding.UTF8.GetBytes($"{{\"access_token\":\"{AccessToken}\"}}");
        var base64 = System.Text.Encoding.UTF8.GetBytes("x" + Convert.ToBase64String(clear));

        Assert.True(Secrets.AppearIn(clear, AccessToken));
        Assert.True(Secrets.AppearIn(base64, AccessToken));
    }

    [Fact]
    public async Task Stored_ticket_holds_no_tokens_even_when_decrypted()
    {
        var key = await _store.StoreAsync(Ticket(), new DefaultHttpContext(), Cancellation);
        var record = await _repository.GetAsync(SessionId.Parse(key).StorageKey, Cancellation);

        var ticket = new SessionProtector(_dataProtection).UnprotectTicket(record!.ProtectedTicket);

        Assert.NotNull(ticket);
        Assert.Empty(ticket.Properties.GetTokens());
    }

    [Fact]
    public async Task Store_without_http_context_still_stores_the_session()
    {
        var key = await _store.StoreAsync(Ticket(), Cancellation);

        var context = new DefaultHttpContext();
        Assert.NotNull(await _store.RetrieveAsync(key, context, Cancellation));
        AssertOriginalTokens(ActiveSession.Of(context)!.Tokens);
    }

    [Fact]
    public async Task Renew_does_not_touch_the_tokens()
    {
        var key = await _store.StoreAsync(Ticket(), new DefaultHttpContext(), Cancellation);
        var storageKey = SessionId.Parse(key).StorageKey;
        var tokensBefore = await _repository.GetTokensAsync(storageKey, Cancellation);
        var renewal = (await _store.RetrieveAsync(key, new DefaultHttpContext(), Cancellation))!;
        renewal.Properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = "renewal-must-not-store-this" }]);

        await _store.RenewAsync(key, renewal, new DefaultHttpContext(), Cancellation);

        Assert.Equal(tokensBefore, await _repository.GetTokensAsync(storageKey, Cancellation));
        var context = new DefaultHttpContext();
        var ticket = await _store.RetrieveAsync(key, context, Cancellation);
        Assert.Empty(ticket!.Properties.GetTokens());
        AssertOriginalTokens(ActiveSession.Of(context)!.Tokens);
        var record = await _repository.GetAsync(storageKey, Cancellation);
        Assert.False(Secrets.AppearIn(record!.ProtectedTicket, "renewal-must-not-store-this"));
    }

    [Fact]
    public async Task Renew_keeps_tokens_refreshed_meanwhile()
    {
        var key = await _store.StoreAsync(Ticket(), new DefaultHttpContext(), Cancellation);
        var storageKey = SessionId.Parse(key).StorageKey;
        var renewal = (await _store.RetrieveAsync(key, new DefaultHttpContext(), Cancellation))!;
        var refreshed = new SessionTokens { AccessToken = "refreshed", RefreshToken = "rt2", AccessTokenExpiresAt = Now.AddHours(2), ClientId = ClientId };
        await _repository.UpdateTokensAsync(storageKey, new SessionProtector(_dataProtection).Protect(refreshed), Cancellation);

        await _store.RenewAsync(key, renewal, Cancellation);

        var context = new DefaultHttpContext();
        await _store.RetrieveAsync(key, context, Cancellation);
        Assert.Equal("refreshed", ActiveSession.Of(context)!.Tokens.AccessToken);
    }

    [Fact]
    public async Task Renew_of_an_ended_session_does_not_bring_it_back()
    {
        var key = await _store.StoreAsync(Ticket(), new DefaultHttpContext(), Cancellation);
        var renewal = (await _store.RetrieveAsync(key, new DefaultHttpContext(), Cancellation))!;
        await _store.RemoveAsync(key, Cancellation);

        await _store.RenewAsync(key, renewal, Cancellation);

        Assert.Null(await _store.RetrieveAsync(key, new DefaultHttpContext(), Cancellation));
    }

    [Fact]
    public async Task Session_ends_after_the_idle_timeout_when_the_ticket_expires_then()
    {
        var key = await _store.StoreAsync(Ticket(expires: Now + Idle), Cancellation);

        _time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _store.RetrieveAsync(key, Cancellation));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _store.RetrieveAsync(key, Cancellation));
    }

    [Fact]
    public async Task Ticket_without_expiry_lives_for_the_idle_timeout()
    {
        var key = await _store.StoreAsync(Ticket(expires: null, noExpiry: true), Cancellation);

        _time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _store.RetrieveAsync(key, Cancellation));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _store.RetrieveAsync(key, Cancellation));
    }

    [Fact]
    public async Task Session_never_outlives_the_absolute_lifetime_whatever_the_ticket_expiry()
    {
        var key = await _store.StoreAsync(Ticket(expires: Now + TimeSpan.FromDays(30)), Cancellation);

        _time.Advance(Absolute - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _store.RetrieveAsync(key, Cancellation));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _store.RetrieveAsync(key, Cancellation));
    }

    [Fact]
    public async Task Renewal_slides_the_session_by_the_new_ticket_expiry()
    {
        var issued = Now;
        var key = await _store.StoreAsync(Ticket(issued: issued, expires: issued + Idle), Cancellation);
        _time.Advance(TimeSpan.FromMinutes(20));
        var renewal = (await _store.RetrieveAsync(key, Cancellation))!;
        renewal.Properties.ExpiresUtc = Now + Idle;

        await _store.RenewAsync(key, renewal, Cancellation);

        _time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _store.RetrieveAsync(key, Cancellation));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _store.RetrieveAsync(key, Cancellation));
    }

    [Fact]
    public async Task Renewal_cannot_extend_the_session_past_the_absolute_lifetime_of_the_sign_in()
    {
        var issued = Now;
        var key = await _store.StoreAsync(Ticket(issued: issued, expires: issued + Idle), Cancellation);
        while (Now + TimeSpan.FromMinutes(20) <= issued + Absolute - TimeSpan.FromMinutes(10))
        {
            _time.Advance(TimeSpan.FromMinutes(20));
            await RenewSlidingAsync(key);
        }

        _time.Advance(issued + Absolute - TimeSpan.FromMinutes(10) - Now);
        await RenewSlidingAsync(key);

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _store.RetrieveAsync(key, Cancellation));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _store.RetrieveAsync(key, Cancellation));
    }

    [Fact]
    public async Task Store_without_access_token_throws_a_clear_invalid_operation_and_stores_nothing()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.StoreAsync(Ticket(withAccessToken: false), new DefaultHttpContext(), Cancellation));

        Assert.Contains("access token", exception.Message, StringComparison.Ordinal);
        Assert.Contains("save tokens", exception.Message, StringComparison.Ordinal);
        Assert.Empty(await _repository.FindBySubjectAsync("alice", Cancellation));
    }

    [Fact]
    public async Task Store_without_token_expiry_throws_invalid_operation()
        => await Assert.ThrowsAsync<InvalidOperationException>(() => _store.StoreAsync(Ticket(withExpiresAt: false), Cancellation));

    [Fact]
    public async Task Store_without_the_client_id_the_tokens_were_issued_to_throws_invalid_operation()
        => await Assert.ThrowsAsync<InvalidOperationException>(() => _store.StoreAsync(Ticket(withClientId: false), Cancellation));

    [Fact]
    public async Task Store_without_sub_claim_throws_a_clear_invalid_operation()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.StoreAsync(Ticket(withSub: false), Cancellation));

        Assert.Contains("'sub'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_unreadable_with_the_current_keys_is_removed_and_not_returned()
    {
        var key = await _store.StoreAsync(Ticket(), Cancellation);
        var otherKeys = NewStore(new EphemeralDataProtectionProvider());

        Assert.Null(await otherKeys.RetrieveAsync(key, new DefaultHttpContext(), Cancellation));

        Assert.Null(await _repository.GetAsync(SessionId.Parse(key).StorageKey, Cancellation));
        Assert.Contains(_logger.Entries, entry => entry.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Unknown_session_is_not_found_and_sets_no_active_session()
    {
        var context = new DefaultHttpContext();

        Assert.Null(await _store.RetrieveAsync(SessionId.New().Value, context, Cancellation));
        Assert.Null(ActiveSession.Of(context));
    }

    [Fact]
    public async Task Removed_session_is_not_found()
    {
        var key = await _store.StoreAsync(Ticket(), Cancellation);

        await _store.RemoveAsync(key, Cancellation);

        Assert.Null(await _store.RetrieveAsync(key, Cancellation));
    }

    [Fact]
    public async Task Logs_name_the_session_without_its_id_or_tokens()
    {
        var key = await _store.StoreAsync(Ticket(), Cancellation);
        await _store.RemoveAsync(key, Cancellation);

        var logs = _logger.AllText();
        Assert.NotEmpty(_logger.Entries);
        Assert.Contains(SessionId.Parse(key).ToString(), logs, StringComparison.Ordinal);
        Assert.DoesNotContain(key, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, logs, StringComparison.Ordinal);
    }

    /// <summary>Renews as a sliding cookie would, keeping the ticket's sign-in time.</summary>
    private async Task RenewSlidingAsync(string key)
    {
        var renewal = await _store.RetrieveAsync(key, Cancellation);
        Assert.NotNull(renewal);
        renewal.Properties.ExpiresUtc = Now + Idle;
        await _store.RenewAsync(key, renewal, Cancellation);
    }

    private ServerSideTicketStore NewStore(IDataProtectionProvider dataProtection)
        => new(_repository, new SessionProtector(dataProtection), Options.Create(new SessionOptions { IdleTimeout = Idle, AbsoluteLifetime = Absolute }), _time, _logger);

    private AuthenticationTicket Ticket(
        DateTimeOffset? issued = null,
        DateTimeOffset? expires = null,
        bool noExpiry = false,
        bool withAccessToken = true,
        bool withExpiresAt = true,
        bool withClientId = true,
        bool withSub = true)
    {
        var claims = new List<Claim> { new("sid", "sid-1"), new("name", "Alice") };
        if (withSub)
        {
            claims.Add(new Claim("sub", "alice"));
        }

        var properties = new AuthenticationProperties
        {
            IssuedUtc = issued ?? Now,
            ExpiresUtc = noExpiry ? null : expires ?? Now + Idle,
        };
        var tokens = new List<AuthenticationToken>
        {
            new() { Name = "refresh_token", Value = RefreshToken },
            new() { Name = "id_token", Value = IdToken },
            new() { Name = "token_type", Value = "Bearer" },
        };
        if (withAccessToken)
        {
            tokens.Add(new AuthenticationToken { Name = "access_token", Value = AccessToken });
        }

        if (withExpiresAt)
        {
            tokens.Add(new AuthenticationToken { Name = "expires_at", Value = TokenExpiry.ToString("o", CultureInfo.InvariantCulture) });
        }

        properties.StoreTokens(tokens);
        if (withClientId)
        {
            properties.Items[ServerSideTicketStore.ClientIdItem] = ClientId;
        }

        return new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc", "name", "role")), properties, SessionCookie.Scheme);
    }

    private static void AssertOriginalTokens(SessionTokens tokens)
    {
        Assert.Equal(AccessToken, tokens.AccessToken);
        Assert.Equal(RefreshToken, tokens.RefreshToken);
        Assert.Equal(IdToken, tokens.IdToken);
        Assert.Equal(ClientId, tokens.ClientId);
        Assert.Equal(TokenExpiry, tokens.AccessTokenExpiresAt);
    }
}
