using System.Security.Claims;
using McpGateway.Auth.Oidc;
using McpGateway.Auth.Registration;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Tests.Auth.Oidc;

public sealed class OidcEventsTests : IDisposable
{
    private static readonly AuthenticationScheme Scheme = new(OidcSetup.Scheme, null, typeof(OpenIdConnectHandler));
    private readonly ClientRegistrationState _registrations = new();
    private readonly TestAuthority _authority = new();
    private readonly OidcEvents _events;

    public OidcEventsTests() => _events = new OidcEvents(
        _registrations, _authority.Metadata, new McpGateway.Auth.ClientAuthentication.ClientAssertionFactory(TimeProvider.System), Microsoft.Extensions.Options.Options.Create(new McpGateway.Auth.AuthOptions()), new McpGateway.Auth.Resources.SessionResources([], enabled: false), new FakeTimeProvider(), new CapturingLogger<OidcEvents>());

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _authority.Dispose();

    [Fact]
    public async Task Sign_in_before_registration_is_answered_503_with_retry_after_instead_of_redirecting()
    {
        var context = HttpResponses.NewContext();
        var redirect = new RedirectContext(context, Scheme, new OpenIdConnectOptions(), new AuthenticationProperties());

        await _events.RedirectToIdentityProvider(redirect);

        Assert.True(redirect.Handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("temporarily_unavailable", context.Response.BodyJson().Property("error"));
    }

    [Fact]
    public async Task Sign_in_once_registered_goes_to_the_authorization_server()
    {
        MakeReady();
        var context = HttpResponses.NewContext();
        var redirect = new RedirectContext(context, Scheme, new OpenIdConnectOptions(), new AuthenticationProperties());

        await _events.RedirectToIdentityProvider(redirect);

        Assert.False(redirect.Handled);
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Theory]
    [InlineData(TestAuthority.Issuer, false)]
    [InlineData(TestAuthority.Issuer, true)]
    [InlineData(null, false)]
    public async Task Callback_naming_the_authorization_server_or_without_iss_from_a_server_that_never_sends_it_proceeds(string? iss, bool advertised)
    {
        _authority.IssParameterSupported = advertised;
        var received = Callback(iss);

        await _events.MessageReceived(received);

        Assert.Null(received.Result);
    }

    [Theory]
    [InlineData("https://evil.example", false)]
    [InlineData("https://evil.example", true)]
    [InlineData(TestAuthority.Issuer + "/", true)]
    [InlineData("HTTPS://IDP.TEST", true)]
    [InlineData("", true)]
    [InlineData(null, true)]
    public async Task Callback_naming_another_issuer_or_missing_an_advertised_iss_is_refused_before_the_code_is_redeemed(string? iss, bool advertised)
    {
        _authority.IssParameterSupported = advertised;
        var exception = await Assert.ThrowsAsync<OpenIdConnectProtocolException>(() => _events.MessageReceived(Callback(iss)));

        Assert.Contains("RFC 9207", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_identity_keeps_only_the_needed_claims_and_files_the_client_id()
    {
        var claims = new[]
        {
            new Claim("sub", "alice"), new Claim("sid", "sid-1"), new Claim("name", "Alice"), new Claim("email", "a@example.com"),
            new Claim("preferred_username", "alice1"), new Claim("nonce", "n"), new Claim("at_hash", "h"), new Claim("aud", "client-1"),
            new Claim("iss", "https://idp"), new Claim("address", "1 Main St"), new Claim("phone_number", "+1 555"), new Claim("groups", "admins"),
        };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc")), new AuthenticationProperties(), OidcSetup.Scheme);
        var received = new TicketReceivedContext(new DefaultHttpContext(), Scheme, new OpenIdConnectOptions { ClientId = "client-1" }, ticket);

        await _events.TicketReceived(received);

        Assert.Equal(["email", "name", "preferred_username", "sid", "sub"], received.Principal!.Claims.Select(c => c.Type).Order(StringComparer.Ordinal));
        Assert.Equal("Alice", received.Principal.Identity?.Name);
        Assert.True(received.Principal.Identity?.IsAuthenticated);
        Assert.Equal("client-1", received.Properties!.Items[ServerSideTicketStore.ClientIdItem]);
    }

    [Theory]
    [InlineData("access_denied: the user said no", "access_denied")]
    [InlineData("Message contains error: 'invalid_grant'", "login_failed")]
    public async Task Failed_sign_in_with_a_genuine_state_returns_to_the_page_with_an_error_code(string failure, string code)
    {
        var context = HttpResponses.NewContext();
        var remoteFailure = Failure(context, failure, "/chat?x=1");

        await _events.RemoteFailure(remoteFailure);

        Assert.True(remoteFailure.Result?.Handled);
        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        var location = context.Response.Headers.Location.ToString();
        Assert.StartsWith("/chat?", location, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri("https://x" + location).Query);
        Assert.Equal(code, query["auth_error"].ToString());
        Assert.Equal("1", query["x"].ToString());
        Assert.DoesNotContain("user said no", location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    public async Task Failed_sign_in_without_a_local_return_page_is_answered_400_json_without_redirect(string? redirectUri)
    {
        var context = HttpResponses.NewContext();
        var remoteFailure = Failure(context, "Correlation failed.", redirectUri);

        await _events.RemoteFailure(remoteFailure);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Equal("invalid_request", context.Response.BodyJson().Property("error"));
        Assert.False(context.Response.Headers.ContainsKey("Location"));
    }

    [Fact]
    public async Task Invalid_client_at_the_code_exchange_asks_for_a_registration_check()
    {
        MakeReady();
        var time = new FakeTimeProvider();
        var recheck = _registrations.WaitForRecheckAsync(TimeSpan.FromMinutes(1), time, Cancellation);

        await _events.RemoteFailure(Failure(HttpResponses.NewContext(), "Message contains error: 'invalid_client', error_description: 'client authentication failed'", "/"));

        Assert.Equal("client-1", await recheck.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    [Fact]
    public async Task Other_failures_do_not_ask_for_a_registration_check()
    {
        MakeReady();
        var time = new FakeTimeProvider();

        await _events.RemoteFailure(Failure(HttpResponses.NewContext(), "Message contains error: 'invalid_grant'", "/"));

        var recheck = _registrations.WaitForRecheckAsync(TimeSpan.FromMinutes(1), time, Cancellation);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await recheck.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    private static MessageReceivedContext Callback(string? iss)
    {
        var message = new OpenIdConnectMessage { Code = "code-1", State = "state-1" };
        if (iss is not null)
        {
            message.SetParameter("iss", iss);
        }

        return new MessageReceivedContext(HttpResponses.NewContext(), Scheme, new OpenIdConnectOptions(), new AuthenticationProperties { RedirectUri = "/chat" })
        {
            ProtocolMessage = message,
        };
    }

    private void MakeReady()
    {
        _registrations.AuthorityAvailable();
        _registrations.Publish(new StoredRegistration(new ClientRegistration { Issuer = "https://idp", ClientId = "client-1" }, null));
    }

    private static RemoteFailureContext Failure(HttpContext context, string message, string? redirectUri)
        => new(context, Scheme, new OpenIdConnectOptions(), new AuthenticationFailureException(message))
        {
            Properties = redirectUri is null ? null : new AuthenticationProperties { RedirectUri = redirectUri },
        };
}
